using MassTransit;
using SagaDemo.Sagas.UserRegistration;
using SagaDemo.Services.Hosting.Deadlines;

namespace SagaDemo.Services.Users.Deadlines;

public static class ApprovalDeadlineRegistration
{
    /// <summary>
    /// The user saga's deadline watcher. Scans the saga repository for due deadlines unless another
    /// <see cref="ISagaDeadlineSource{TSaga}"/> was registered first (PostgreSQL registers its indexed one).
    /// </summary>
    public static IServiceCollection AddApprovalDeadlineWatcher(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton<ISagaDeadlineSource<UserRegistrationState>>(sp =>
        {
            var machine = sp.GetRequiredService<UserRegistrationStateMachine>();
            return new RepositoryDeadlineSource<UserRegistrationState>(
                sp.GetRequiredService<IQuerySagaRepository<UserRegistrationState>>(), machine,
                now => s => s.ApprovalDeadline != null && s.ApprovalDeadline < now,
                [machine.AwaitingApproval, machine.Approving]);
        });
        services.Configure<DeadlineWatchOptions>(UserRegistrationOptions.Section, configuration.GetSection(UserRegistrationOptions.Section));
        services.AddSingleton<ApprovalActivity>();
        services.AddConsumeObserver<ApprovalActivityObserver>();
        services.AddSingleton<ApprovalDeadlineWatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<ApprovalDeadlineWatcher>());
        return services;
    }
}
