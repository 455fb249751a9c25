using System.Text;
using Confluent.Kafka;
using SagaDemo.Contracts;
using SagaDemo.Kafka.Consuming;
using SagaDemo.Kafka.Signing;
using SagaDemo.Kafka.Topology;
using SagaDemo.Host.RoleModules;

namespace SagaDemo.Kafka.Tests.Trust;

/// <summary>Signing and checking records against the real topic catalog: who may write what, and what a signature covers.</summary>
public sealed class RecordSignaturesTests
{
    static readonly Dictionary<string, string> Keys = new()
    {
        ["approval"] = "approval-key-0123456789-0123456789-0123456789",
        ["payment"] = "payment-key-0123456789-0123456789-0123456789",
        ["api"] = "api-key-0123456789-0123456789-0123456789-0123",
    };

    static RecordSignatures Signatures(Dictionary<string, string> keys, Dictionary<string, string>? previous = null) =>
        new(RoleCatalog.Topics, SigningKeyRing.Create(new SigningOptions { Keys = keys, PreviousKeys = previous ?? [] }, [], false));

    static readonly RecordSignatures Ours = Signatures(Keys);

    static (Headers Headers, byte[] Value) Signed(RecordSignatures by, string topic, string key, string json = "{}", string? clientId = null)
    {
        var headers = new Headers
        {
            { KafkaHeaderNames.MessageType, "UserApprovalCompleted"u8.ToArray() },
            { KafkaHeaderNames.MessageId, Encoding.UTF8.GetBytes(Guid.NewGuid().ToString()) },
        };
        if (clientId is not null)
            headers.Add(KafkaHeaderNames.ClientId, Encoding.UTF8.GetBytes(clientId));
        var value = Encoding.UTF8.GetBytes(json);
        by.Sign(headers, topic, key, value);
        return (headers, value);
    }

    [Fact]
    public void A_record_signed_by_its_topics_producer_is_believed()
    {
        var key = Guid.NewGuid().ToString();
        var (headers, value) = Signed(Ours, Topics.UserApproveResponse, key);
        Assert.Equal(RecordOrigin.Signed, Ours.Check(Topics.UserApproveResponse, key, value, headers));
    }

    [Fact]
    public void An_unsigned_record_on_an_internal_topic_is_refused_naming_its_producer()
    {
        var error = Assert.Throws<UnreadableRecordException>(() => Ours.Check(Topics.UserApproveResponse, Guid.NewGuid().ToString(), "{}"u8.ToArray(), []));
        Assert.Contains("no signature", error.Message);
        Assert.Contains("approval", error.Message);
    }

    [Fact]
    public void Another_services_key_cannot_write_a_topic_even_when_both_belong_to_the_system()
    {
        // What the payment service would sign, were payment-event the topic: presented on the approval's topic.
        var impostor = Signatures(new Dictionary<string, string> { ["approval"] = Keys["payment"] });
        var key = Guid.NewGuid().ToString();
        var (headers, value) = Signed(impostor, Topics.UserApproveResponse, key);
        var error = Assert.Throws<UnreadableRecordException>(() => Ours.Check(Topics.UserApproveResponse, key, value, headers));
        Assert.Contains("not approval's", error.Message);
    }

    [Fact]
    public void Changing_any_signed_part_breaks_the_signature()
    {
        var key = Guid.NewGuid().ToString();
        var (headers, value) = Signed(Ours, Topics.UserApproveResponse, key, """{"approved":false}""");

        Assert.Throws<UnreadableRecordException>(() => Ours.Check(Topics.UserApproveResponse, key, """{"approved":true}"""u8.ToArray(), headers));
        Assert.Throws<UnreadableRecordException>(() => Ours.Check(Topics.UserApproveResponse, Guid.NewGuid().ToString(), value, headers));
        Assert.Throws<UnreadableRecordException>(() => Ours.Check(Topics.PaymentEvent, key, value, headers));
        foreach (var header in new[] { KafkaHeaderNames.MessageType, KafkaHeaderNames.MessageId, KafkaHeaderNames.ClientId })
        {
            var changed = Copy(headers);
            changed.Remove(header);
            changed.Add(header, "other"u8.ToArray());
            Assert.Throws<UnreadableRecordException>(() => Ours.Check(Topics.UserApproveResponse, key, value, changed));
        }
        var garbled = Copy(headers);
        garbled.Remove(KafkaHeaderNames.Signature);
        garbled.Add(KafkaHeaderNames.Signature, "hmac-sha256=bm90IGEgbWFj"u8.ToArray());
        Assert.Throws<UnreadableRecordException>(() => Ours.Check(Topics.UserApproveResponse, key, value, garbled));
    }

    [Fact]
    public void The_signature_header_is_the_scheme_and_the_base64_of_a_32_byte_mac()
    {
        var (headers, _) = Signed(Ours, Topics.UserApproveResponse, Guid.NewGuid().ToString());
        var text = Encoding.ASCII.GetString(headers.GetLastBytes(KafkaHeaderNames.Signature));
        Assert.StartsWith(RecordSignatures.Scheme, text);
        Assert.Equal(32, Convert.FromBase64String(text[RecordSignatures.Scheme.Length..]).Length);
    }

    [Theory]
    [InlineData("")]
    [InlineData("hmac-sha256=")]
    [InlineData("hmac-sha1=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    [InlineData("hmac-sha256=not base64 at all")]
    [InlineData("hmac-sha256=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==")]     // 31 bytes
    [InlineData("hmac-sha256=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]     // 33 bytes
    [InlineData("hmac-sha256=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=AAAA")] // 32 bytes, then more
    public void A_malformed_signature_header_is_refused_as_not_a_signature(string presented)
    {
        var key = Guid.NewGuid().ToString();
        var (headers, value) = Signed(Ours, Topics.UserApproveResponse, key);
        headers.Remove(KafkaHeaderNames.Signature);
        headers.Add(KafkaHeaderNames.Signature, Encoding.ASCII.GetBytes(presented));
        var refused = Assert.Throws<UnreadableRecordException>(() => Ours.Check(Topics.UserApproveResponse, key, value, headers));
        Assert.Contains("is not a hmac-sha256 signature", refused.Message);
    }

    [Fact]
    public void Checking_many_records_on_one_thread_reuses_nothing_between_them()
    {
        // The MAC state and the buffers are reused per thread: a refused record in between must not spoil the next.
        var key = Guid.NewGuid().ToString();
        for (var i = 0; i < 100; i++)
        {
            var (headers, value) = Signed(Ours, Topics.UserApproveResponse, key, $"{{\"n\":{i}}}");
            Assert.Equal(RecordOrigin.Signed, Ours.Check(Topics.UserApproveResponse, key, value, headers));
            Assert.Throws<UnreadableRecordException>(() => Ours.Check(Topics.UserApproveResponse, key, [.. value, 32], headers));
        }
    }

    [Fact]
    public void Entry_topics_take_unsigned_records_as_open_but_refuse_a_forged_signature()
    {
        var key = Guid.NewGuid().ToString();
        Assert.Equal(RecordOrigin.Open, Ours.Check(Topics.UserCreate, key, "{}"u8.ToArray(), []));

        var (headers, value) = Signed(Ours, Topics.UserCreate, key, clientId: "shop");
        Assert.Equal(RecordOrigin.Signed, Ours.Check(Topics.UserCreate, key, value, headers));
        // Claiming another client under the api's signature is a forgery, not an open record.
        var claimed = Copy(headers);
        claimed.Remove(KafkaHeaderNames.ClientId);
        claimed.Add(KafkaHeaderNames.ClientId, "backoffice"u8.ToArray());
        Assert.Throws<UnreadableRecordException>(() => Ours.Check(Topics.UserCreate, key, value, claimed));
    }

    [Fact]
    public void A_previous_key_is_still_accepted_while_rotating_but_never_signs()
    {
        var key = Guid.NewGuid().ToString();
        var (oldHeaders, value) = Signed(Ours, Topics.UserApproveResponse, key);
        var rotated = Signatures(new Dictionary<string, string> { ["approval"] = "approval-key-NEW-0123456789-0123456789-012" },
            new Dictionary<string, string> { ["approval"] = Keys["approval"] });

        Assert.Equal(RecordOrigin.Signed, rotated.Check(Topics.UserApproveResponse, key, value, oldHeaders));
        var (newHeaders, _) = Signed(rotated, Topics.UserApproveResponse, key);
        Assert.Throws<UnreadableRecordException>(() => Ours.Check(Topics.UserApproveResponse, key, value, newHeaders));
    }

    [Fact]
    public void With_signing_off_nothing_is_signed_or_checked()
    {
        var off = new RecordSignatures(RoleCatalog.Topics, SigningKeyRing.Create(new SigningOptions { Mode = SigningMode.Off }, ["approval"], false));
        var headers = new Headers();
        off.Sign(headers, Topics.UserApproveResponse, "k", []);
        Assert.Empty(headers);
        Assert.Equal(RecordOrigin.Unchecked, off.Check(Topics.UserApproveResponse, "k", [], []));
    }

    [Fact]
    public void Without_kafka_in_the_process_a_missing_key_stops_the_start_naming_the_setting()
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            SigningKeyRing.Create(new SigningOptions { Keys = new() { ["users"] = Keys["api"] } }, ["users", "approval", "api"], generateMissing: false));
        Assert.Contains("Kafka:Signing:Keys:approval", error.Message);
        Assert.Contains("Kafka__Signing__Keys__api", error.Message);
        Assert.DoesNotContain("Keys:users", error.Message);
        Assert.DoesNotContain(Keys["api"], error.Message);

        var generated = SigningKeyRing.Create(new SigningOptions(), ["users", "approval"], generateMissing: true);
        Assert.Equal(["approval", "users"], generated.Generated);
        Assert.NotEqual(generated.SigningKey("users"), generated.SigningKey("approval"));
    }

    [Fact]
    public void A_key_shorter_than_32_characters_is_refused_without_being_shown()
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            SigningKeyRing.Create(new SigningOptions { Keys = new() { ["users"] = "short-secret" } }, ["users"], false));
        Assert.Contains("Kafka:Signing:Keys:users must be at least 32 characters", error.Message);
        Assert.DoesNotContain("short-secret", error.Message);
    }

    static Headers Copy(Headers headers)
    {
        var copy = new Headers();
        foreach (var header in headers)
            copy.Add(header.Key, header.GetValueBytes());
        return copy;
    }
}
