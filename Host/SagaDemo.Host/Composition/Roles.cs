using SagaDemo.Host.RoleModules;

namespace SagaDemo.Host.Composition;

/// <summary>
/// The services one process runs, from configuration key <c>Roles</c> (comma list; default all).
/// Every role can run alone in its own process or together with any others.
/// </summary>
public sealed class Roles
{
    /// <summary>Every role's name (<see cref="RoleCatalog"/>).</summary>
    public static IReadOnlyList<string> All { get; } = [.. RoleCatalog.All.Select(r => r.Name)];

    readonly HashSet<string> _active;

    Roles(IEnumerable<string> active) => _active = new HashSet<string>(active, StringComparer.OrdinalIgnoreCase);

    public IEnumerable<string> Active => All.Where(_active.Contains);

    /// <summary>The roles this process runs, each with everything it declares.</summary>
    public IEnumerable<Role> Modules => RoleCatalog.All.Where(r => _active.Contains(r.Name));

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
