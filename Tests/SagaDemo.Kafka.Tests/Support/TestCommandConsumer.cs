using MassTransit;

namespace SagaDemo.Kafka.Tests.Support;

/// <summary>Records the effect, then publishes an echo with ordinary MassTransit Publish; behaviour is steered per test.</summary>
public sealed class TestCommandConsumer(EffectLog log, TestBehaviour behaviour) : IConsumer<TestCommand>
{
    public async Task Consume(ConsumeContext<TestCommand> context)
    {
        using (log.Enter())
        {
            await behaviour.BeforeEffect(context.Message);
            log.Apply(context.Message.OperationId, context.Message.Sequence);
        }
        await context.Publish(new TestEcho(context.Message.OperationId, context.Message.Sequence, context.Message.Payload));
    }
}

/// <summary>Per-test hooks: delays, failures, gates.</summary>
public sealed class TestBehaviour
{
    public Func<TestCommand, Task> BeforeEffect { get; set; } = _ => Task.CompletedTask;
}

public sealed class TestCommandConsumerDefinition : ConsumerDefinition<TestCommandConsumer>
{
    public const string EndpointGroup = "test-service";

    public TestCommandConsumerDefinition() => EndpointName = EndpointGroup;

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<TestCommandConsumer> consumerConfigurator, IRegistrationContext context)
    {
        endpointConfigurator.UseMessageRetry(r => r.Immediate(2));
        endpointConfigurator.UseInMemoryOutbox(context);
    }
}
