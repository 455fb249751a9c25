using MassTransit;
using SagaDemo.Contracts.Users;

namespace SagaDemo.Services.Users.Deadlines;

/// <summary>
/// When this users service last saw the approval service at work: a receipt or an answer it consumed. A busy
/// approval service with a long backlog keeps sending both; a stopped one sends neither. Starts at the process
/// start, so a restart gives the approval service a full timeout before anything it never took fails.
/// </summary>
public sealed class ApprovalActivity(TimeProvider clock)
{
    long _lastSeenTicks = clock.GetUtcNow().UtcTicks;

    public DateTimeOffset LastSeen => new(Interlocked.Read(ref _lastSeenTicks), TimeSpan.Zero);

    public void Seen() => Interlocked.Exchange(ref _lastSeenTicks, clock.GetUtcNow().UtcTicks);

    public TimeSpan SilentFor(DateTimeOffset now) => now - LastSeen;
}

/// <summary>Tells <see cref="ApprovalActivity"/> about every approval receipt and answer this process consumes.</summary>
public sealed class ApprovalActivityObserver(ApprovalActivity activity) : IConsumeObserver
{
    public Task PreConsume<T>(ConsumeContext<T> context) where T : class
    {
        if (context.Message is UserApprovalReceived or UserApprovalCompleted)
            activity.Seen();
        return Task.CompletedTask;
    }

    public Task PostConsume<T>(ConsumeContext<T> context) where T : class => Task.CompletedTask;

    public Task ConsumeFault<T>(ConsumeContext<T> context, Exception exception) where T : class => Task.CompletedTask;
}
