namespace SagaDemo.Services.Approval;

/// <summary>Configuration section <c>Approval</c>.</summary>
public sealed class ApprovalOptions
{
    public const string Section = "Approval";

    public static readonly IReadOnlyList<string> DefaultDeniedNames = ["root", "admin", "mallory"];

    /// <summary>Simulated work per request, like the original demo's 200 ms sleep; 0 in tests.</summary>
    public TimeSpan Delay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// Names that are never approved (case-insensitive, surrounding spaces ignored). Null means the
    /// defaults: binding a list onto a pre-filled one would append instead of replace.
    /// </summary>
    public List<string>? DeniedNames { get; set; }

    /// <summary>When true, a user with an e-mail address is approved only if the address is valid.</summary>
    public bool RequireValidEmail { get; set; } = true;

    public IReadOnlyList<string> EffectiveDeniedNames => DeniedNames ?? DefaultDeniedNames;
}
