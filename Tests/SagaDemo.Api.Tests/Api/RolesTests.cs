using SagaDemo.Host.Composition;

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
        Assert.All(SagaDemo.Contracts.Topics.All, t => Assert.Contains(t.Producer, Roles.All));
        Assert.Equal(["order-create", "user-create"], SagaDemo.Contracts.Topics.All.Where(t => t.IsEntry).Select(t => t.Name).Order());
    }
}
