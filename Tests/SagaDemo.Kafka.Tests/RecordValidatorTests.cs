using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using Microsoft.Extensions.Options;
using SagaDemo.Contracts;
using SagaDemo.Contracts.Orders;
using SagaDemo.Kafka.Configuration;
using SagaDemo.Kafka.Consuming;
using SagaDemo.Kafka.Producing;
using SagaDemo.Kafka.Signing;
using SagaDemo.Kafka.Topology;
using SagaDemo.Host.RoleModules;

namespace SagaDemo.Kafka.Tests;

/// <summary>
/// The wire contract as the consuming side enforces it, over the real topic catalog: every message type's JSON as
/// our producers write it is read on its own topic and refused on every other one. Signatures are off here
/// (RecordSignaturesTests covers them); content rules too (MessageRulesTests).
/// </summary>
public sealed class RecordValidatorTests
{
    static readonly RecordValidator Validator = ValidatorOf(new KafkaOptions());

    static RecordValidator ValidatorOf(KafkaOptions options) => new(RoleCatalog.Topics, new MessageKeySelector(), Options.Create(options),
        new RecordSignatures(RoleCatalog.Topics, SigningKeyRing.Create(new SigningOptions { Mode = SigningMode.Off }, [], false)), []);
    static readonly MessageKeySelector Keys = new();

    static IEnumerable<Type> ContractTypes => RoleCatalog.Topics.Definitions.SelectMany(t => t.MessageTypes);

    public static TheoryData<string> TopicNames() => [.. RoleCatalog.Topics.Definitions.Select(t => t.Name)];

    [Theory]
    [MemberData(nameof(TopicNames))]
    public void Each_type_of_a_topic_is_read_there_with_its_type_header_and_the_first_one_without(string topic)
    {
        var definition = RoleCatalog.Topics.Definitions.Single(t => t.Name == topic);
        foreach (var type in definition.MessageTypes)
        {
            var (key, value) = Sample(type);
            Assert.Equal(type, Validator.Validate(Record(topic, key, value), type.Name).MessageType);
            if (type == definition.MessageTypes[0])
                Assert.Equal(type, Validator.Validate(Record(topic, key, value), null).MessageType);
            else
                Assert.Throws<UnreadableRecordException>(() => Validator.Validate(Record(topic, key, value), null));
        }
    }

    [Theory]
    [MemberData(nameof(TopicNames))]
    public void Json_of_any_other_topics_type_is_refused_unless_it_has_exactly_the_topic_types_fields(string topic)
    {
        var own = RoleCatalog.Topics.Definitions.Single(t => t.Name == topic).MessageTypes;
        foreach (var type in ContractTypes.Except(own))
        {
            var (key, value) = Sample(type);
            // A headerless record is only its JSON: another type with the very same fields (StockReserved and
            // PaymentCharged are both {orderId, amount}) is indistinguishable from the topic's own type.
            if (SameFields(type, own[0]))
                Assert.Equal(own[0], Validator.Validate(Record(topic, key, value), null).MessageType);
            else
            {
                var headerless = Assert.Throws<UnreadableRecordException>(() => Validator.Validate(Record(topic, key, value), null));
                Assert.Contains($"not a valid {own[0].Name}", headerless.Message);
            }
            var named = Assert.Throws<UnreadableRecordException>(() => Validator.Validate(Record(topic, key, value), type.Name));
            Assert.Contains($"carries no message type '{type.Name}'", named.Message);
        }
    }

    [Fact]
    public void Only_the_two_amount_events_share_their_fields_across_topics()
    {
        var pairs = RoleCatalog.Topics.Definitions.SelectMany(t => ContractTypes.Except(t.MessageTypes).Where(o => SameFields(o, t.MessageTypes[0]))
            .Select(o => $"{o.Name} on {t.Name}")).Order().ToList();
        Assert.Equal(new[] { "PaymentCharged on warehouse-event", "StockReserved on payment-event" }, pairs);
    }

    static bool SameFields(Type a, Type b) =>
        a.GetProperties().Select(p => (p.Name, p.PropertyType)).ToHashSet().SetEquals(b.GetProperties().Select(p => (p.Name, p.PropertyType)));

    [Fact]
    public void An_unknown_field_is_refused_naming_it_also_inside_a_nested_object()
    {
        var id = Guid.NewGuid();
        var top = Assert.Throws<UnreadableRecordException>(() => Validator.Validate(Record(Topics.UserCreate, id.ToString(),
            $$"""{"operationId":"{{id}}","name":"hans","email":null,"isAdmin":true}"""), null));
        Assert.Contains("'isAdmin'", top.Message);

        var nested = Assert.Throws<UnreadableRecordException>(() => Validator.Validate(Record(Topics.OrderCreate, id.ToString(),
            $$"""{"orderId":"{{id}}","customerId":"c-1","items":[{"sku":"apple","quantity":1,"discount":50}],"submittedAt":"2026-01-01T00:00:00+00:00"}"""), null));
        Assert.Contains("'discount'", nested.Message);
    }

    [Fact]
    public void A_user_approval_answer_sent_to_user_create_is_refused_as_the_wrong_type()
    {
        var id = Guid.NewGuid();
        var error = Assert.Throws<UnreadableRecordException>(() => Validator.Validate(Record(Topics.UserCreate, id.ToString(),
            $$"""{"operationId":"{{id}}","userId":"{{Guid.NewGuid()}}","approved":true,"reason":null}"""), null));
        Assert.Contains("not a valid UserCreateRequested", error.Message);
    }

    [Theory]
    [InlineData(null, "has no key")]
    [InlineData("", "has no key")]
    [InlineData("order-17", "'order-17' is not a UUID")]
    [InlineData("5b0c6a8e8f0c4c439d7e0d6c3e1f2a11", "is not a UUID")] // a UUID, but not in the contract's form
    [InlineData("{5b0c6a8e-8f0c-4c43-9d7e-0d6c3e1f2a11}", "is not a UUID")]
    public void A_record_without_a_uuid_key_is_refused(string? key, string reason)
    {
        var id = Guid.NewGuid();
        var error = Assert.Throws<UnreadableRecordException>(() => Validator.Validate(Record(Topics.UserCreate, key,
            $$"""{"operationId":"{{id}}","name":"hans","email":null}"""), null));
        Assert.Contains(reason, error.Message);
        Assert.Contains("correlation id", error.Message);
    }

    [Fact]
    public void An_overlong_key_is_echoed_only_in_part()
    {
        var error = Assert.Throws<UnreadableRecordException>(() => Validator.Validate(Record(Topics.UserCreate, new string('k', 10_000), "{}"), null));
        Assert.InRange(error.Message.Length, 1, 400);
    }

    [Fact]
    public void A_key_other_than_the_messages_correlation_id_is_refused_and_upper_case_uuids_are_fine()
    {
        var id = Guid.NewGuid();
        var value = $$"""{"operationId":"{{id}}","name":"hans","email":null}""";
        var error = Assert.Throws<UnreadableRecordException>(() => Validator.Validate(Record(Topics.UserCreate, Guid.NewGuid().ToString(), value), null));
        Assert.Contains($"not the UserCreateRequested's correlation id {id}", error.Message);
        Assert.Equal(typeof(Contracts.Users.UserCreateRequested), Validator.Validate(Record(Topics.UserCreate, id.ToString().ToUpperInvariant(), value), null).MessageType);
    }

    [Fact]
    public void A_value_over_the_limit_is_refused_without_being_parsed()
    {
        var small = ValidatorOf(new KafkaOptions { MaxRecordBytes = 1024 });
        var id = Guid.NewGuid();
        // Not JSON at all: had it been parsed, the reason would be the JSON error.
        var error = Assert.Throws<UnreadableRecordException>(() => small.Validate(Record(Topics.UserCreate, id.ToString(), new string('x', 1025)), null));
        Assert.Equal("The record's value is 1025 bytes, more than Kafka:MaxRecordBytes (1024); it was not read.", error.Message);

        // Exactly at the limit: read.
        var empty = $$"""{"operationId":"{{id}}","name":"","email":null}""";
        var json = empty.Replace("\"name\":\"\"", $"\"name\":\"{new string('n', 1024 - empty.Length)}\"");
        Assert.Equal(1024, Encoding.UTF8.GetByteCount(json));
        Assert.Equal(typeof(Contracts.Users.UserCreateRequested), small.Validate(Record(Topics.UserCreate, id.ToString(), json), null).MessageType);
    }

    [Theory]
    [InlineData("")]
    [InlineData("null")]
    public void An_empty_or_null_value_is_refused(string value)
    {
        var id = Guid.NewGuid();
        Assert.Throws<UnreadableRecordException>(() => Validator.Validate(Record(Topics.UserCreate, id.ToString(), value), null));
    }

    static ConsumeResult<string?, byte[]> Record(string topic, string? key, string value) => Record(topic, key, Encoding.UTF8.GetBytes(value));

    static ConsumeResult<string?, byte[]> Record(string topic, string? key, byte[] value) => new()
    {
        Topic = topic,
        Partition = new Partition(0),
        Offset = new Offset(0),
        Message = new Message<string?, byte[]> { Key = key, Value = value },
    };

    /// <summary>An instance of a contract type with every field set, as our producers write it, and its record key.</summary>
    static (string Key, byte[] Value) Sample(Type type)
    {
        var constructor = type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).First();
        var message = constructor.Invoke([.. constructor.GetParameters().Select(p => SampleValue(p.ParameterType))]);
        // Our producers key records with this too: a contract type without a key property would be refused by every consumer.
        var key = Keys.KeyOf(message, null);
        Assert.True(key is not null, $"{type.Name} has no OperationId/OrderId/CorrelationId to key its records by");
        return (key, JsonSerializer.SerializeToUtf8Bytes(message, type, WireJson.Options));
    }

    static object SampleValue(Type type) =>
        (Nullable.GetUnderlyingType(type) ?? type) switch
        {
            var t when t == typeof(Guid) => Guid.NewGuid(),
            var t when t == typeof(string) => "sample",
            var t when t == typeof(bool) => true,
            var t when t == typeof(int) => 2,
            var t when t == typeof(decimal) => 12.5m,
            var t when t == typeof(DateTimeOffset) => new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero),
            var t when t == typeof(IReadOnlyList<OrderItem>) => new List<OrderItem> { new("apple", 2) },
            var t => throw new NotSupportedException($"No sample value for {t} (add one: a new contract field type)."),
        };
}
