using Npgsql;
using SagaDemo.Contracts;
using SagaDemo.Contracts.Orders;
using SagaDemo.Kafka.Topology;
using SagaDemo.Persistence.Payment;
using SagaDemo.Persistence.Schema;
using SagaDemo.Services.Hosting.Retention;
using SagaDemo.Services.Payment;

namespace SagaDemo.Host.RoleModules;

/// <summary>Charges orders by configurable rules, once per order.</summary>
public sealed class PaymentRole : Role
{
    public const string RoleName = "payment";
    public const string Group = "payment-service";

    public override string Name => RoleName;

    public override IReadOnlyList<ConsumerGroup> ConsumerGroups =>
        [new(Group, [Topics.PaymentCommand], [typeof(ChargePaymentConsumer)])];

    public override IReadOnlyList<TopicDefinition> Produces =>
        [Topic(Topics.PaymentEvent, typeof(PaymentCharged), typeof(PaymentDeclined))];

    public override SchemaDefinition Schema => SagaDemoSchemas.Payment;

    public override void AddServices(RoleContext context)
    {
        context.Services.AddPaymentService(context.Configuration);
        if (context.Postgres)
            context.Services.AddSingleton<IPaymentStore>(sp => new PostgresPaymentStore(sp.GetRequiredService<NpgsqlDataSource>(), Schema.Name));
        else
            context.Services.AddRetainedStore<IPaymentStore, InMemoryPaymentStore>();
    }
}
