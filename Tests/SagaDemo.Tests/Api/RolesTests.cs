using SagaDemo.Host.Composition;

namespace SagaDemo.Tests.Api;

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
}
