namespace SagaDemo.Host.Deadlines;

public static class ApprovalDeadlineRegistration
{
    public static IServiceCollection AddApprovalDeadlineWatcher(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<ApprovalDeadlineOptions>(configuration.GetSection(Sagas.UserRegistration.UserRegistrationOptions.Section));
        services.AddSingleton<ApprovalDeadlineWatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<ApprovalDeadlineWatcher>());
        return services;
    }
}
