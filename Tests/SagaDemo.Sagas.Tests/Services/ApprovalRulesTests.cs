using SagaDemo.Services.Approval;

namespace SagaDemo.Sagas.Tests.Services;

public sealed class ApprovalRulesTests
{
    static readonly ApprovalRules Defaults = new(new ApprovalOptions());

    [Theory]
    [InlineData("hans", null)]
    [InlineData("hans", "hans@example.com")]
    [InlineData("Administrator", "a@b.de")]
    public void Approves_ordinary_users(string name, string? email) =>
        Assert.Equal(new ApprovalDecision(true, null), Defaults.Decide(name, email));

    [Theory]
    [InlineData("admin")]
    [InlineData("ROOT")]
    [InlineData("  Mallory ")]
    public void Rejects_denied_names_case_insensitively(string name)
    {
        var decision = Defaults.Decide(name, null);
        Assert.False(decision.Approved);
        Assert.Equal($"name '{name.Trim()}' is on the deny list", decision.Reason);
    }

    [Theory]
    [InlineData("not-an-email")]
    [InlineData("a@b")]
    [InlineData("a b@example.com")]
    [InlineData("")]
    public void Rejects_an_invalid_email_when_required(string email)
    {
        var decision = Defaults.Decide("hans", email);
        Assert.False(decision.Approved);
        Assert.Equal($"email '{email}' is not a valid address", decision.Reason);
    }

    [Fact]
    public void Configured_rules_replace_the_defaults()
    {
        var rules = new ApprovalRules(new ApprovalOptions { DeniedNames = ["eve"], RequireValidEmail = false });

        Assert.True(rules.Decide("admin", "not-an-email").Approved);
        Assert.False(rules.Decide("Eve", null).Approved);
    }

    [Fact]
    public void Rejects_an_empty_name() => Assert.False(Defaults.Decide(" ", null).Approved);
}
