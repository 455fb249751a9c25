using SagaDemo.Contracts;

namespace SagaDemo.Host.Composition;

/// <summary>
/// The services one process runs, from configuration key <c>Roles</c> (comma list; default all).
/// Every role can run alone in its own process or together with any others.
/// </summary>
public sealed class Roles
{
    // A producing service signs its topics' records under its role's name: one name for both.
    public const string Api = TopicProducers.Api;
    public const string Users = TopicProducers.Users;
    public const string Approval = TopicProducers.Approval;
    public const string Orders = TopicProducers.Orders;
    public const string Warehouse = TopicProducers.Warehouse;
    public const string Payment = TopicProducers.Payment;
    public const string Statistics = "statistics";

    public static readonly IReadOnlyList<string> All = [Api, Users, Approval, Orders, Warehouse, Payment, Statistics];

    readonly HashSet<string> _active;

    Roles(IEnumerable<string> active) => _active = new HashSet<string>(active, StringComparer.OrdinalIgnoreCase);

    public IEnumerable<string> Active => All.Where(_active.Contains);

    public bool Has(string role) => _active.Contains(role);

    public static Roles From(string? configured)
    {
        if (string.IsNullOrWhiteSpace(configured))
            return new Roles(All);

        var names = configured.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var unknown = names.Where(n => !All.Contains(n, StringComparer.OrdinalIgnoreCase)).ToList();
        if (unknown.Count > 0)
            throw new ArgumentException(
                $"Unknown role(s) in Roles: {string.Join(", ", unknown)}. Known roles: {string.Join(", ", All)}.");
        return new Roles(names);
    }
}
