using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using SagaDemo.Hosting.Endpoints;
using SagaDemo.Sagas.UserRegistration;
using SagaDemo.Sagas.Tests.Support;

namespace SagaDemo.Sagas.Tests.Sagas;

/// <summary>The user saga alone on a test bus; the test plays every other service.</summary>
public sealed class UserSagaHarness : IAsyncDisposable
{
    public ManualClock Clock { get; } = new();
    public ServiceProvider Provider { get; }
    public ITestHarness Bus { get; }
    public ISagaStateMachineTestHarness<UserRegistrationStateMachine, UserRegistrationState> Saga { get; }
    public UserRegistrationStateMachine Machine { get; }

    public static readonly TimeSpan ApprovalTimeout = TimeSpan.FromSeconds(30);

    UserSagaHarness(Action<IServiceCollection>? configure)
    {
        var services = new ServiceCollection()
            .AddSingleton<TimeProvider>(Clock)
            .Configure<UserRegistrationOptions>(o => o.ApprovalTimeout = ApprovalTimeout);
        configure?.Invoke(services);
        Provider = services
            .AddMassTransitTestHarness(x =>
            {
                x.SetTestTimeouts(testInactivityTimeout: TimeSpan.FromMilliseconds(200));
                x.AddSagaStateMachine<UserRegistrationStateMachine, UserRegistrationState, SagaEndpointDefinition<UserRegistrationState>>()
                    .InMemoryRepository();
            })
            .BuildServiceProvider(true);
        Bus = Provider.GetRequiredService<ITestHarness>();
        Saga = Bus.GetSagaStateMachineHarness<UserRegistrationStateMachine, UserRegistrationState>();
        Machine = Provider.GetRequiredService<UserRegistrationStateMachine>();
    }

    public static async Task<UserSagaHarness> StartAsync(Action<IServiceCollection>? configure = null)
    {
        var harness = new UserSagaHarness(configure);
        await harness.Bus.Start();
        return harness;
    }

    public UserRegistrationState? Instance(Guid operationId) =>
        Saga.Sagas.Contains(operationId);

    public async ValueTask DisposeAsync()
    {
        await Bus.Stop();
        await Provider.DisposeAsync();
    }
}
