using MassTransit;
using SagaDemo.Sagas.UserRegistration;
using SagaDemo.Services.Hosting.Deadlines;

namespace SagaDemo.Services.Users.Deadlines;

public static class ApprovalDeadlineRegistration
{
    /// <summary>Without an indexed deadline (PostgreSQL's), the watcher scans the saga repository.</summary>
    public static ISagaDeadlineSource<UserRegistrationState> ScanRepository(IServiceProvider sp)
    {
        var machine = sp.GetRequiredService<UserRegistrationStateMachine>();
        return new RepositoryDeadlineSource<UserRegistrationState>(
            sp.GetRequiredService<IQuerySagaRepository<UserRegistrationState>>(), machine,
            now => s => s.ApprovalDeadline != null && s.ApprovalDeadline < now,
            [machine.AwaitingApproval, machine.Approving]);
    }

    /// <summary>The user saga's deadline watcher; its <see cref="ISagaDeadlineSource{TSaga}"/> is the role's choice.</summary>
    public static IServiceCollection AddApprovalDeadlineWatcher(this IServiceCollection services)
    {
        services.AddSingleton<ApprovalActivity>();
        services.AddConsumeObserver<ApprovalActivityObserver>();
        services.AddSingleton<ApprovalDeadlineWatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<ApprovalDeadlineWatcher>());
        return services;
    }
}
