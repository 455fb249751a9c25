using MassTransit;

namespace SagaDemo.Sagas;

/// <summary>What every saga endpoint does with a failed or conflicting delivery.</summary>
public static class SagaEndpointPolicy
{
    public static void Apply(IReceiveEndpointConfigurator endpoint, IRegistrationContext context)
    {
        // An optimistic-concurrency conflict means another event for the same instance won the
        // race; reloading and retrying applies this one on top of it.
        endpoint.UseMessageRetry(r =>
        {
            r.Intervals(10, 50, 100, 250, 500, 1000);
        });
        // Publishes leave only after the transition succeeded, so a retried event sends nothing twice.
        endpoint.UseInMemoryOutbox(context);
    }
}
