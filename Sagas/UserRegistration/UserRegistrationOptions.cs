namespace SagaDemo.Sagas.UserRegistration;

/// <summary>Configuration section <c>UserRegistration</c>.</summary>
public sealed class UserRegistrationOptions
{
    public const string Section = "UserRegistration";

    /// <summary>
    /// How long the approval service may take to answer a request it has received (<c>UserApprovalReceived</c>);
    /// also how long it may stay silent (take nothing, answer nothing) before requests it never took fail. Time a
    /// request spends in the <c>user-approve</c> backlog while the approval service works does not count.
    /// </summary>
    public TimeSpan ApprovalTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the saga's deadline watcher (in its service) looks for passed deadlines; a deadline fires up to this late.</summary>
    public TimeSpan DeadlineCheckInterval { get; set; } = TimeSpan.FromSeconds(2);
}
