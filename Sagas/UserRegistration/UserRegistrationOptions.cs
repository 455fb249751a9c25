namespace SagaDemo.Sagas.UserRegistration;

/// <summary>Configuration section <c>UserRegistration</c>.</summary>
public sealed class UserRegistrationOptions
{
    public const string Section = "UserRegistration";

    /// <summary>How long the saga waits for the approval service before the operation fails.</summary>
    public TimeSpan ApprovalTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the deadline watcher looks for passed approval deadlines; a deadline fires up to this late.</summary>
    public TimeSpan DeadlineCheckInterval { get; set; } = TimeSpan.FromSeconds(2);
}
