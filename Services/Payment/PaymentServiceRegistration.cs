namespace SagaDemo.Services.Payment;

/// <summary>Wiring of the payment service (its role, store and consumers: the host's PaymentRole).</summary>
public static class PaymentServiceRegistration
{
    public static IServiceCollection AddPaymentService(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<PaymentOptions>(configuration.GetSection(PaymentOptions.Section));
        services.AddSingleton(sp => new PaymentRules(sp.GetRequiredService<IOptions<PaymentOptions>>().Value));
        return services;
    }
}
