using Newtonsoft.Json.Linq;

namespace SagaDemo.Chart.Tests.Rendering;

/// <summary>One ACL binding: a principal may do an operation on a topic or consumer group.</summary>
public sealed record KafkaAcl(string Principal, string Operation, string ResourceType, string Resource);

/// <summary>The ACLs a render holds (its kafka-acls ConfigMap), as the kafka-setup Job's script turns each line into kafka-acls.</summary>
public static class KafkaAcls
{
    public static IReadOnlySet<KafkaAcl> Of(IReadOnlyList<JObject> objects) =>
        Parse(objects.OfKind("ConfigMap").Single(c => c.Name().EndsWith("-kafka-acls")).Entries()["acls"]);

    /// <summary>Each line: the cross product of its principal:, operation: and topic:/group: tokens.</summary>
    public static IReadOnlySet<KafkaAcl> Parse(string lines)
    {
        var acls = new HashSet<KafkaAcl>();
        foreach (var line in lines.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(l => !l.StartsWith('#')))
        {
            var tokens = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(t => (Kind: t[..t.IndexOf(':')], Value: t[(t.IndexOf(':') + 1)..])).ToList();
            Assert.All(tokens, t => Assert.Contains(t.Kind, new[] { "principal", "operation", "topic", "group" }));
            foreach (var principal in tokens.Where(t => t.Kind == "principal"))
                foreach (var operation in tokens.Where(t => t.Kind == "operation"))
                    foreach (var resource in tokens.Where(t => t.Kind is "topic" or "group"))
                        acls.Add(new KafkaAcl(principal.Value, operation.Value, resource.Kind, resource.Value));
        }
        return acls;
    }

    public static IEnumerable<string> Resources(this IEnumerable<KafkaAcl> acls, string principal, string operation, string type) =>
        acls.Where(a => a.Principal == principal && a.Operation == operation && a.ResourceType == type).Select(a => a.Resource).Order();
}
