namespace SagaDemo.Services.Operations;

/// <summary>Wiring of the operations service (its role, store, launcher and consumers: the host's ApiRole).</summary>
public static class OperationsServiceRegistration
{
    /// <summary>What serves the operation routes besides the <see cref="IOperationStore"/> and <see cref="IOperationLauncher"/> the role picks.</summary>
    public static IServiceCollection AddOperationsService(this IServiceCollection services)
    {
        services.AddScoped<OperationSubmitter>();
        services.AddSingleton<Admission.OperationAdmission>();
        return services;
    }
}
