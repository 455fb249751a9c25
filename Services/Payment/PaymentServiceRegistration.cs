using MassTransit;
using SagaDemo.Contracts;
using SagaDemo.Services.Hosting;

namespace SagaDemo.Services.Payment;

public sealed class PaymentConsumerDefinition<TConsumer>() : ServiceConsumerDefinition<TConsumer>(ConsumerGroups.Payment)
    where TConsumer : class, IConsumer;

/// <summary>Wiring of the payment service (role <c>payment</c>).</summary>
public static class PaymentServiceRegistration
{
    public static IServiceCollection AddPaymentService(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<PaymentOptions>(configuration.GetSection(PaymentOptions.Section));
        services.TryAddSingleton(sp => new PaymentRules(sp.GetRequiredService<IOptions<PaymentOptions>>().Value));
        services.TryAddSingleton<IPaymentStore, InMemoryPaymentStore>();
        return services;
    }

    public static IBusRegistrationConfigurator AddPaymentConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<ChargePaymentConsumer, PaymentConsumerDefinition<ChargePaymentConsumer>>();
        return bus;
    }
}
