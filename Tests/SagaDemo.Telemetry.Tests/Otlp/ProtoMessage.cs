using Google.Protobuf;

namespace SagaDemo.Telemetry.Tests.Otlp;

/// <summary>
/// One protobuf message read off the wire with Google.Protobuf's <see cref="CodedInputStream"/>: its fields by
/// number, without generated classes (the OTLP .proto types are not on the package feed). Enough to read the
/// OTLP requests the SDK's exporter sends; the field numbers are those of opentelemetry-proto.
/// </summary>
public sealed class ProtoMessage
{
    private readonly List<(int Field, object Value)> _fields = [];

    public static ProtoMessage Parse(ByteString bytes)
    {
        var message = new ProtoMessage();
        var input = bytes.CreateCodedInput();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            var field = WireFormat.GetTagFieldNumber(tag);
            object value = WireFormat.GetTagWireType(tag) switch
            {
                WireFormat.WireType.Varint => input.ReadUInt64(),
                WireFormat.WireType.Fixed64 => input.ReadFixed64(),
                WireFormat.WireType.Fixed32 => input.ReadFixed32(),
                WireFormat.WireType.LengthDelimited => input.ReadBytes(),
                var other => throw new InvalidDataException($"field {field}: unexpected wire type {other}"),
            };
            message._fields.Add((field, value));
        }
        return message;
    }

    public IEnumerable<ProtoMessage> Messages(int field) =>
        _fields.Where(f => f.Field == field).Select(f => Parse((ByteString)f.Value));

    public ProtoMessage? Message(int field) => Messages(field).FirstOrDefault();

    public ByteString Bytes(int field) =>
        _fields.Where(f => f.Field == field).Select(f => (ByteString)f.Value).FirstOrDefault() ?? ByteString.Empty;

    public string String(int field) => Bytes(field).ToStringUtf8();

    public ulong Number(int field) =>
        _fields.Where(f => f.Field == field).Select(f => Convert.ToUInt64(f.Value)).FirstOrDefault();

    public bool Has(int field) => _fields.Any(f => f.Field == field);
}
