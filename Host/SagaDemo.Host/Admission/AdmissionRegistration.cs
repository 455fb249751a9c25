using Microsoft.Extensions.Options;
using SagaDemo.Host.Observability;
using SagaDemo.Services.Operations;
using SagaDemo.Services.Operations.Admission;

namespace SagaDemo.Host.Admission;

/// <summary>Admission control of the api role: options (section <c>Admission</c>), the backlog sampler, metrics.</summary>
public static class AdmissionRegistration
{
    public static IServiceCollection AddAdmissionControl(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AdmissionOptions>().Bind(configuration.GetSection(AdmissionOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AdmissionOptions>, Validator>();
        services.AddSingleton<AdmissionMetrics>();
        services.AddSingleton<IShedObserver>(sp => sp.GetRequiredService<AdmissionMetrics>());
        // The store itself, not its metering decorator: counting is not an operation event.
        services.AddSingleton(sp => (IPendingOperationCounter)sp.GetRequiredKeyedService<IOperationStore>(MeteredOperationStore.InnerKey));
        services.AddHostedService<BacklogSampler>();
        return services;
    }

    sealed class Validator : IValidateOptions<AdmissionOptions>
    {
        public ValidateOptionsResult Validate(string? name, AdmissionOptions options) =>
            options.Problems().ToList() is { Count: > 0 } problems ? ValidateOptionsResult.Fail(problems) : ValidateOptionsResult.Success;
    }
}
