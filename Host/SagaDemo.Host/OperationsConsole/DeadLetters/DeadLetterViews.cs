using SagaDemo.Services.Operations.DeadLetters;

namespace SagaDemo.Host.OperationsConsole.DeadLetters;

/// <summary><c>GET /dead-letters</c>: the dead-letter topics and their newest records, newest first.</summary>
public sealed record DeadLetterListView(IReadOnlyList<string> Topics, IReadOnlyList<DeadLetterRecord> Records);

/// <summary>
/// The answer to a replay or discard: <c>applied</c> (this request did it) or <c>already-applied</c> (an earlier one
/// did; nothing happened now), with the decision as recorded.
/// </summary>
public sealed record DeadLetterActionView(string Outcome, DeadLetterDecision Decision);
