using Newtonsoft.Json.Linq;
using SagaDemo.Chart.Tests.Rendering;

namespace SagaDemo.Chart.Tests.Pods;

/// <summary>
/// The connections a running pod made, as the forwarders standing in for the cluster's Services saw them, set against
/// the rendered NetworkPolicy that selects the pod: every destination it used must be allowed, and every destination
/// its policy allows (besides DNS, which pods here resolve from /etc/hosts) must be one it used. Nothing enforces the
/// policies here; this shows they fit the pods.
/// </summary>
public sealed class PodConnections(JObject podLabels)
{
    readonly List<(string Destination, TcpForwarder Forwarder)> _forwarders = [];

    public JObject PodLabels { get; } = podLabels;

    /// <summary>A forwarder that carries this pod's connections to <paramref name="destination"/>.</summary>
    public TcpForwarder Track(string destination, TcpForwarder forwarder)
    {
        _forwarders.Add((destination, forwarder));
        return forwarder;
    }

    public IReadOnlySet<string> Used => _forwarders.Where(f => f.Forwarder.Accepted > 0).Select(f => f.Destination).ToHashSet();

    /// <param name="destinations">Each destination's pods (their labels; null for addresses outside the cluster) and port.</param>
    public string? Mismatch(IReadOnlyList<JObject> objects, IReadOnlyDictionary<string, (JObject? Labels, int Port)> destinations)
    {
        var policy = NetworkPolicies.For(objects, PodLabels);
        var used = Used;
        foreach (var (name, (labels, port)) in destinations)
        {
            var allowed = NetworkPolicies.AllowsEgress(policy, labels, port);
            if (allowed != used.Contains(name))
                return $"{policy.Name()}: {(allowed ? "allows" : "does not allow")} {name}:{port}, which the pod {(used.Contains(name) ? "used" : "never used")}";
        }
        return null;
    }
}
