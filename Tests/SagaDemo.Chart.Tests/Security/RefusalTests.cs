using SagaDemo.Chart.Tests.Rendering;

namespace SagaDemo.Chart.Tests.Security;

/// <summary>
/// Installs the chart refuses to render, each with a message that says what to do: anonymous access nobody asked for,
/// an API exposed past a NetworkPolicy that would drop its callers, and credentials that cannot be right.
/// </summary>
public class RefusalTests
{
    public static TheoryData<string, string, string> Refused() => new()
    {
        { "pure defaults", "", "auth.mode is None: every caller would be the same anonymous client" },
        { "anonymous, explicitly not allowed", "auth: { mode: None, allowAnonymous: false }\n", "or auth.allowAnonymous=true to run without access control on purpose" },
        { "ingress without its controller allowed in", Renders.AllowAnonymous + "ingress: { enabled: true }\n", "networkPolicy.apiFrom is empty" },
        { "load balancer without its clients allowed in", Renders.AllowAnonymous + "apiService: { type: LoadBalancer }\n", "networkPolicy.apiFrom is empty" },
        { "bundled kafka listener and services disagree", Renders.AllowAnonymous + "kafka: { listeners: { client: { protocol: PLAINTEXT } } }\n",
            "kafkaConnection.securityProtocol (SASL_PLAINTEXT) must be the bundled Kafka's client listener protocol" },
        { "bundled kafka without a service's user", Renders.AllowAnonymous + "kafka: { sasl: { client: { users: [saga-admin, saga-api] } } }\n",
            "kafka.sasl.client.users must be the admin followed by every kafkaConnection.sasl.usernames entry" },
        { "bundled kafka reading passwords elsewhere", Renders.AllowAnonymous + "kafka: { sasl: { existingSecret: \"\" } }\n",
            "kafka.sasl.existingSecret must stay as the chart sets it" },
        { "external SASL kafka without passwords", Renders.AllowAnonymous + "kafka: { enabled: false }\nkafkaConnection: { bootstrapServers: \"b:9096\", sasl: { passwords: { api: x } } }\n",
            "Kafka over SASL needs a password per principal: put kafka-sasl-password-<name> into secrets.existingSecret, or set kafkaConnection.sasl.passwords for approval, orders, payment, statistics, users, warehouse, monitor" },
        { "external postgresql with one login for everything", Renders.AllowAnonymous + "postgresql: { enabled: false }\nsecrets: { postgresConnectionString: \"Host=pg;Username=u;Password=p\" }\n",
            "Each stateful service connects with a login of its own: set secrets.postgresServiceConnectionStrings for api, orders, payment, statistics, users, warehouse" },
        { "bundled postgresql with foreign credentials", Renders.AllowAnonymous + "kafka: { enabled: false }\nkafkaConnection: { bootstrapServers: \"b:9092\", securityProtocol: PLAINTEXT }\nsecrets: { existingSecret: mine }\n",
            "secrets.existingSecret holds credentials of an external PostgreSQL" },
        { "bundled kafka with foreign credentials", Renders.AllowAnonymous + "postgresql: { enabled: false }\nsecrets: { existingSecret: mine }\n",
            "secrets.existingSecret holds credentials of an external Kafka" },
        { "jwt without an audience", "auth: { mode: Jwt, jwt: { authority: \"https://login.example.com\" } }\n", "auth.mode=Jwt needs auth.jwt.audience" },
        { "jwt without a way to check signatures", "auth: { mode: Jwt, jwt: { audience: sagademo, issuer: \"https://login.example.com\" } }\n",
            "auth.mode=Jwt needs auth.jwt.authority (an OpenID Connect issuer), or auth.jwt.issuer with auth.jwt.signingKeys" },
        { "jwt metadata over plain http", "auth: { mode: Jwt, jwt: { audience: sagademo, authority: \"http://login.example.com\" } }\n", "authority" },
        { "a short password seed", Renders.AllowAnonymous + "secrets: { passwordSeed: short }\n", "passwordSeed" },
        { "a misspelt network policy peer", Renders.AllowAnonymous + "networkPolicy: { metricsFrom: [{ namespaceSelecter: {} }] }\n", "namespaceSelecter" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task Rendering_refuses_with_a_message_that_says_what_to_do(string what, string values, string message)
    {
        var render = values.Length == 0 ? Renders.PureDefaults : Renders.PureDefaults.With(values);
        var result = await render.TemplateAsync();
        Assert.True(result.ExitCode != 0, $"{what} rendered");
        Assert.Contains(message, result.Output);
    }
}
