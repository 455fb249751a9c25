using SagaDemo.Services.Hosting;

namespace SagaDemo.Services.Approval;

public sealed record ApprovalDecision(bool Approved, string? Reason);

/// <summary>Deterministic approval: the same request always gets the same answer, so redeliveries are harmless.</summary>
public sealed class ApprovalRules(ApprovalOptions options)
{
    readonly HashSet<string> _denied = new(options.EffectiveDeniedNames.Select(n => n.Trim()), StringComparer.OrdinalIgnoreCase);

    public ApprovalDecision Decide(string name, string? email)
    {
        if (string.IsNullOrWhiteSpace(name))
            return new(false, "name is empty");
        if (_denied.Contains(name.Trim()))
            return new(false, $"name '{name.Trim()}' is on the deny list");
        if (options.RequireValidEmail && email is not null && !EmailAddress.IsValid(email))
            return new(false, $"email '{email}' is not a valid address");
        return new(true, null);
    }
}
