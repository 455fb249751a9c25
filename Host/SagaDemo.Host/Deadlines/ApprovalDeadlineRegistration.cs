using Microsoft.Extensions.DependencyInjection.Extensions;

namespace SagaDemo.Host.Deadlines;

public static class ApprovalDeadlineRegistration
{
    /// <summary>
    /// Scans the saga repository for due deadlines unless another <see cref="IApprovalDeadlineSource"/> was registered first.
    /// Its interval is <c>UserRegistration:DeadlineCheckInterval</c>, bound with the rest of the section by the composition.
    /// </summary>
    public static IServiceCollection AddApprovalDeadlineWatcher(this IServiceCollection services)
    {
        services.TryAddSingleton<IApprovalDeadlineSource, SagaRepositoryDeadlineSource>();
        services.AddSingleton<ApprovalDeadlineWatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<ApprovalDeadlineWatcher>());
        return services;
    }
}
