using Newtonsoft.Json.Linq;

namespace SagaDemo.Chart.Tests.Rendering;

/// <summary>
/// Reading rendered NetworkPolicies: which policy selects a pod, and whether a rule lets a connection through, with
/// Kubernetes' semantics for what the chart uses (matchLabels selectors, ports; a rule without peers or ports allows
/// every peer or port). Peers that are other pods are given by their labels.
/// </summary>
public static class NetworkPolicies
{
    public static JObject For(IReadOnlyList<JObject> objects, JObject podLabels) =>
        objects.OfKind("NetworkPolicy").Single(p => Selects((JObject?)p["spec"]!["podSelector"]!["matchLabels"], podLabels));

    public static bool Selects(JObject? matchLabels, JObject labels) =>
        (matchLabels ?? new JObject()).Properties().All(l => (string?)labels[l.Name] == (string?)l.Value);

    /// <summary>Whether the policy's egress allows a connection to a pod with <paramref name="peerLabels"/> (null: an address outside the cluster) on a TCP port.</summary>
    public static bool AllowsEgress(JObject policy, JObject? peerLabels, int port) =>
        Rules(policy, "egress", "to").Any(r => Matches(r.Peers, peerLabels) && Matches(r.Ports, port));

    public static bool AllowsIngress(JObject policy, JObject? peerLabels, int port) =>
        Rules(policy, "ingress", "from").Any(r => Matches(r.Peers, peerLabels) && Matches(r.Ports, port));

    /// <summary>The TCP ports some egress rule allows, to anyone (null) or to someone.</summary>
    public static IEnumerable<(JArray? Peers, int Port)> EgressPorts(JObject policy) =>
        Rules(policy, "egress", "to").SelectMany(r => (r.Ports ?? []).Where(p => (string?)p["protocol"] is null or "TCP").Select(p => (r.Peers, (int)p["port"]!)));

    static IEnumerable<(JArray? Peers, JArray? Ports)> Rules(JObject policy, string direction, string peers) =>
        ((JArray?)policy["spec"]![direction] ?? []).Select(r => ((JArray?)r[peers], (JArray?)r["ports"]));

    // Peers in the release's namespace are selected by podSelector alone; namespaceSelector and ipBlock peers stand for
    // other namespaces and addresses, which the callers here never are.
    static bool Matches(JArray? peers, JObject? labels) =>
        peers is null || peers.Any(p => labels is not null && p["namespaceSelector"] is null && p["ipBlock"] is null
                                        && Selects((JObject?)p["podSelector"]?["matchLabels"], labels));

    static bool Matches(JArray? ports, int port) =>
        ports is null || ports.Any(p => (string?)p["protocol"] is null or "TCP" && (int)p["port"]! == port);
}
