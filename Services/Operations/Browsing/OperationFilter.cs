namespace SagaDemo.Services.Operations.Browsing;

/// <summary>
/// Which operations a listing shows, newest first: all of <see cref="Owner"/>'s (every owner's when
/// <see cref="AllOwners"/>), narrowed by type, status, creation time (<see cref="From"/> inclusive, <see cref="To"/>
/// exclusive) and a piece of the id's text (lower case hex and dashes).
/// </summary>
public sealed record OperationFilter(string? Owner, bool AllOwners, string? Type, string? Status, DateTimeOffset? From,
    DateTimeOffset? To, string? IdText, int Offset, int Limit)
{
    public const int MaxLimit = 200;

    public bool Matches(Operation o) =>
        (AllOwners || o.Owner == Owner)
        && (Type is null || o.Type == Type)
        && (Status is null || o.Status == Status)
        && (From is null || o.CreatedAt >= From)
        && (To is null || o.CreatedAt < To)
        && (IdText is null || o.Id.ToString("D").Contains(IdText, StringComparison.Ordinal));
}

/// <summary>One page of a listing; <see cref="Total"/> counts every match, not only this page's.</summary>
public sealed record OperationPage(IReadOnlyList<Operation> Items, int Total);

/// <summary>Lists operations for the operations console.</summary>
public interface IOperationBrowser
{
    Task<OperationPage> ListAsync(OperationFilter filter, CancellationToken cancellationToken);
}
