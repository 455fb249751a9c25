using SagaDemo.Host.Composition;
using SagaDemo.Host.RoleModules;

namespace SagaDemo.Api.Tests.Api;

public sealed class RolesTests
{
    [Fact]
    public void Unknown_role_is_a_clear_startup_error()
    {
        var error = Assert.Throws<ArgumentException>(() => Roles.From("api,bogus"));
        Assert.Contains("bogus", error.Message);
        Assert.Contains("Known roles", error.Message);
    }

    [Fact]
    public void Default_is_every_role() => Assert.Equal(Roles.All, Roles.From(null).Active);

    [Fact]
    public void Every_topic_has_exactly_one_producer_and_it_is_a_role_of_the_host()
    {
        // The producer's key signs a topic's records, and the host hands a process the keys of the roles it runs.
        Assert.All(RoleCatalog.Topics.Definitions, t => Assert.Contains(t.Producer, Roles.All));
        Assert.Equal(["order-create", "user-create"], RoleCatalog.Topics.Definitions.Where(t => t.IsEntry).Select(t => t.Name).Order());
    }

    [Fact]
    public void The_rider_signs_the_client_header_the_contract_names() =>
        Assert.Equal(SagaDemo.Contracts.ContractHeaders.ClientId, SagaDemo.Kafka.Topology.KafkaHeaderNames.ClientId);
}
