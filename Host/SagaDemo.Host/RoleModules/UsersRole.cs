using MassTransit;
using Microsoft.Extensions.Options;
using Npgsql;
using SagaDemo.Contracts;
using SagaDemo.Contracts.Users;
using SagaDemo.Host.Composition;
using SagaDemo.Hosting.Endpoints;
using SagaDemo.Kafka.Topology;
using SagaDemo.Persistence.Schema;
using SagaDemo.Persistence.Users;
using SagaDemo.Sagas.UserRegistration;
using SagaDemo.Services.Users;
using SagaDemo.Services.Users.Deadlines;

namespace SagaDemo.Host.RoleModules;

/// <summary>The user saga (create, approve, store a user) with its approval deadline, and the user store.</summary>
public sealed class UsersRole : Role
{
    public const string RoleName = "users";
    /// <summary>The user saga's group: the original demo's UserService.</summary>
    public const string SagaGroup = "user-service";
    public const string StoreGroup = "user-store-service";

    public override string Name => RoleName;

    public override IReadOnlyList<ConsumerGroup> ConsumerGroups =>
    [
        new(SagaGroup, [Topics.UserCreate, Topics.UserApproveReceived, Topics.UserApproveResponse, Topics.UserStoreResponse,
            Topics.UserApprovalTimeout], []),
        new(StoreGroup, [Topics.UserStore], [typeof(StoreUserConsumer)], GroupCommit: true),
    ];

    public override IReadOnlyList<TopicDefinition> Produces =>
    [
        Topic(Topics.UserApprove, typeof(UserApprovalRequested)),
        Topic(Topics.UserCreateResponse, typeof(UserCreateCompleted)),
        Topic(Topics.UserStore, typeof(StoreUser)),
        Topic(Topics.UserStoreResponse, typeof(UserStored)),
        Topic(Topics.UserApprovalTimeout, typeof(UserApprovalTimedOut)),
    ];

    /// <summary>The user saga and the user store.</summary>
    public override SchemaDefinition Schema => SagaDemoSchemas.Users;

    public override void AddServices(RoleContext context)
    {
        var services = context.Services;
        services.Configure<UserRegistrationOptions>(context.Configuration.GetSection(UserRegistrationOptions.Section));
        if (context.Postgres)
            services.AddSingleton<IUserStore>(sp => new PostgresUserStore(sp.GetRequiredService<NpgsqlDataSource>(), Schema.Name));
        else
        {
            services.AddOptions<UserStoreOptions>().Bind(context.Configuration.GetSection(UserStoreOptions.Section))
                .Validate(o => o.InMemoryCapacity >= InMemoryUserStore.MinCapacity,
                    $"Users:InMemoryCapacity must be at least {InMemoryUserStore.MinCapacity}.")
                .ValidateOnStart();
            services.AddSingleton<IUserStore>(sp => new InMemoryUserStore(
                sp.GetRequiredService<IOptions<UserStoreOptions>>().Value.InMemoryCapacity,
                sp.GetRequiredService<ILogger<InMemoryUserStore>>()));
        }
        context.AddSagaSupport<UserRegistrationState, UserRegistrationStateMachine>("user-registration", s => s.CurrentState,
            ApprovalDeadlineRegistration.ScanRepository, nameof(UserRegistrationStateMachine.Completed),
            nameof(UserRegistrationStateMachine.Rejected), nameof(UserRegistrationStateMachine.TimedOut));
        services.AddApprovalDeadlineWatcher();
    }

    public override void AddSagas(IBusRegistrationConfigurator bus, RoleContext context) =>
        bus.AddSagaStateMachine<UserRegistrationStateMachine, UserRegistrationState, SagaEndpointDefinition<UserRegistrationState>>()
            .StoredIn(SagaGroup, context.Postgres, Schema, SagaDemoSchemas.UserRegistrationSagaTable, s => s.ApprovalDeadline);

    public override void MapEndpoints(IEndpointRouteBuilder business, IConfiguration configuration) => business.MapUsers();
}
