using MassTransit;
using SagaDemo.Contracts;
using SagaDemo.Services.Hosting;

namespace SagaDemo.Services.Approval;

public sealed class ApprovalConsumerDefinition<TConsumer>() : ServiceConsumerDefinition<TConsumer>(ConsumerGroups.Approval)
    where TConsumer : class, IConsumer;

/// <summary>Wiring of the approval service (role <c>approval</c>).</summary>
public static class ApprovalServiceRegistration
{
    public static IServiceCollection AddApprovalService(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<ApprovalOptions>(configuration.GetSection(ApprovalOptions.Section));
        services.TryAddSingleton(sp => new ApprovalRules(sp.GetRequiredService<IOptions<ApprovalOptions>>().Value));
        return services;
    }

    public static IBusRegistrationConfigurator AddApprovalConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<UserApprovalRequestedConsumer, ApprovalConsumerDefinition<UserApprovalRequestedConsumer>>();
        return bus;
    }
}
