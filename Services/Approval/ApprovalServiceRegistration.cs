namespace SagaDemo.Services.Approval;

/// <summary>Wiring of the approval service (its role, consumers and topics: the host's ApprovalRole).</summary>
public static class ApprovalServiceRegistration
{
    public static IServiceCollection AddApprovalService(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<ApprovalOptions>(configuration.GetSection(ApprovalOptions.Section));
        services.AddSingleton(sp => new ApprovalRules(sp.GetRequiredService<IOptions<ApprovalOptions>>().Value));
        return services;
    }
}
