using SagaDemo.Contracts;
using SagaDemo.Contracts.Users;
using SagaDemo.Kafka.Topology;
using SagaDemo.Services.Approval;

namespace SagaDemo.Host.RoleModules;

/// <summary>Approves or rejects users by configurable rules after a configurable delay; keeps no state.</summary>
public sealed class ApprovalRole : Role
{
    public const string RoleName = "approval";
    /// <summary>The original demo's UserApprovalService.</summary>
    public const string Group = "user-approval-service";

    public override string Name => RoleName;

    public override IReadOnlyList<ConsumerGroup> ConsumerGroups =>
        [new(Group, [Topics.UserApprove], [typeof(UserApprovalRequestedConsumer)])];

    public override IReadOnlyList<TopicDefinition> Produces =>
    [
        Topic(Topics.UserApproveResponse, typeof(UserApprovalCompleted)),
        Topic(Topics.UserApproveReceived, typeof(UserApprovalReceived)),
    ];

    public override void AddServices(RoleContext context) => context.Services.AddApprovalService(context.Configuration);
}
