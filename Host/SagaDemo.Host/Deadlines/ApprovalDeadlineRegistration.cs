using Microsoft.Extensions.DependencyInjection.Extensions;

namespace SagaDemo.Host.Deadlines;

public static class ApprovalDeadlineRegistration
{
    /// <summary>Scans the saga repository for due deadlines unless another <see cref="IApprovalDeadlineSource"/> was registered first.</summary>
    public static IServiceCollection AddApprovalDeadlineWatcher(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton<IApprovalDeadlineSource, SagaRepositoryDeadlineSource>();
        services.Configure<ApprovalDeadlineOptions>(configuration.GetSection(Sagas.UserRegistration.UserRegistrationOptions.Section));
        services.AddSingleton<ApprovalDeadlineWatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<ApprovalDeadlineWatcher>());
        return services;
    }
}
