using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using SagaDemo.Kafka.Configuration;
using SagaDemo.Kafka.Embedded;
using SagaDemo.Kafka.Topology;
using SagaDemo.Testing;
using SagaDemo.Host.RoleModules;

namespace SagaDemo.Kafka.Tests.Trust;

/// <summary>
/// A process on a shared broker (not Kafka of its own) must hold the keys of the services it runs and reads from:
/// without them it would write records nobody believes, or believe records anybody wrote. It does not start.
/// </summary>
public sealed class SigningStartTests : IDisposable
{
    const string Key = "a-signing-key-of-at-least-32-characters";

    // A dev broker like kafka-dev: every topic created up front, since the mock cluster cannot serve CreateTopics.
    readonly MockKafkaCluster _broker = KafkaDevBroker.Start(new KafkaOptions(), RoleCatalog.Topics);

    public void Dispose() => _broker.Dispose();

    [Fact]
    public void A_users_process_without_its_keys_does_not_start_and_names_each_missing_key()
    {
        using var app = UsersProcess(_broker.BootstrapServers, new Dictionary<string, string> { ["Kafka:Signing:Keys:users"] = Key });
        var error = Assert.ThrowsAny<Exception>(() => app.CreateClient()).ToString();

        // users reads user-create (api) and user-approve-response (approval); it has its own key.
        Assert.Contains("Kafka:Signing:Keys:api", error);
        Assert.Contains("Kafka:Signing:Keys:approval", error);
        Assert.DoesNotContain("Kafka:Signing:Keys:users", error);
        Assert.DoesNotContain("Keys:orders", error);
        Assert.DoesNotContain(Key, error);
    }

    [Fact]
    public void With_its_keys_or_with_signing_explicitly_off_it_starts()
    {
        using (var keyed = UsersProcess(_broker.BootstrapServers, new Dictionary<string, string>
               {
                   ["Kafka:Signing:Keys:users"] = Key, ["Kafka:Signing:Keys:api"] = Key + "-api", ["Kafka:Signing:Keys:approval"] = Key + "-approval",
               }))
            keyed.CreateClient().Dispose();
        using var off = UsersProcess(_broker.BootstrapServers, new Dictionary<string, string> { ["Kafka:Signing:Mode"] = "Off" });
        off.CreateClient().Dispose();
    }

    static SagaDemoHostFactory UsersProcess(string bootstrap, IReadOnlyDictionary<string, string> settings) =>
        new([new("Roles", "users"), new("Kafka:BootstrapServers", bootstrap), new("Logging:LogLevel:Default", "Warning"), .. settings]);
}
