using Newtonsoft.Json.Linq;
using SagaDemo.Chart.Tests.Rendering;
using SagaDemo.Chart.Tests.Support;
using SagaDemo.Contracts;
using SagaDemo.Host.Composition;
using SagaDemo.Host.RoleModules;

namespace SagaDemo.Chart.Tests;

/// <summary>The chart deploys exactly the host's roles, each with the consumer groups and topics the composition wires.</summary>
public class ServiceCoverageTests
{
    static JObject Services => (JObject)ChartFiles.Values["services"]!;

    [Fact]
    public void Each_service_lists_the_consumer_groups_and_topics_its_role_reads()
    {
        Assert.Equal(Roles.All.Order(), Services.Properties().Select(p => p.Name).Order());
        foreach (var role in Roles.All)
        {
            var expected = RoleCatalog.Subscriptions.Where(s => s.Role == role)
                .ToDictionary(s => s.Group, s => s.Topics.Order().ToList());
            var actual = ((JArray)Services[role]!["consumers"]!)
                .ToDictionary(c => (string)c["group"]!, c => c["topics"]!.Values<string>().Select(t => t!).Order().ToList());
            Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
            foreach (var (group, topics) in expected)
                Assert.Equal(topics, actual[group]);
        }
    }

    /// <summary>
    /// Together the services read and write every topic of the contracts, each topic has exactly one producing service
    /// (the ACLs give write access to that one), and a service keeps state in PostgreSQL exactly when the composition
    /// gives its role a schema.
    /// </summary>
    [Fact]
    public void Every_topic_has_one_producing_service_and_the_database_flag_follows_the_roles_schemas()
    {
        var all = RoleCatalog.Topics.Definitions.Select(t => t.Name).Order().ToList();
        var produced = Services.Properties().SelectMany(p => p.Value["produces"]!.Values<string>().Select(t => t!)).ToList();
        Assert.Equal(all, produced.Order());
        var consumed = Services.Properties().SelectMany(p => p.Value["consumers"]!.SelectMany(c => c["topics"]!.Values<string>())).Distinct().Order();
        Assert.Equal(all, consumed);
        foreach (var role in Roles.All)
            Assert.Equal(RoleCatalog.SchemaByRole.ContainsKey(role), (bool)Services[role]!["database"]!);
    }

    [Fact]
    public async Task Every_role_runs_in_its_own_deployment_with_a_service_and_a_disruption_budget()
    {
        var objects = await Renders.Default.ObjectsAsync();
        var deployments = objects.OfKind("Deployment").Where(d => d.Role() is not null).ToList();
        Assert.Equal(Roles.All.Order(), deployments.Select(d => d.Role()!).Order());
        foreach (var deployment in deployments)
        {
            var selector = (JObject)deployment["spec"]!["selector"]!["matchLabels"]!;
            // The pods carry the selector's labels (and the client labels the bundled servers' policies admit).
            var podLabels = (JObject)deployment["spec"]!["template"]!["metadata"]!["labels"]!;
            Assert.All(selector.Properties(), l => Assert.Equal((string?)l.Value, (string?)podLabels[l.Name]));
            Assert.All(podLabels.Properties().Where(l => selector[l.Name] is null), l => Assert.StartsWith("saga-demo/", l.Name));
            Assert.Equal(selector, objects.Single("Service", deployment.Name())["spec"]!["selector"]!, JToken.EqualityComparer);
            Assert.Equal(selector, objects.Single("PodDisruptionBudget", deployment.Name())["spec"]!["selector"]!["matchLabels"]!, JToken.EqualityComparer);
        }
    }

    [Fact]
    public async Task Pods_run_locked_down_as_the_images_non_root_user()
    {
        var objects = await Renders.Default.ObjectsAsync();
        foreach (var workload in objects.OfKind("Deployment").Concat(objects.OfKind("Job")))
        {
            var pod = workload["spec"]!["template"]!["spec"]!["securityContext"]!;
            var container = workload.Container()["securityContext"]!;
            Assert.True((bool)pod["runAsNonRoot"]!);
            Assert.Equal(DockerfileFacts.RuntimeUser, (int)pod["runAsUser"]!);
            Assert.Equal("RuntimeDefault", (string?)pod["seccompProfile"]!["type"]);
            Assert.True((bool)container["readOnlyRootFilesystem"]!);
            Assert.False((bool)container["allowPrivilegeEscalation"]!);
            Assert.Equal(["ALL"], container["capabilities"]!["drop"]!.Values<string>());
        }
    }
}
