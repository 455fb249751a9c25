using System.Text.Json;
using System.Text.Json.Serialization;
using MassTransit.Serialization;

namespace SagaDemo.Kafka.Producing;

/// <summary>
/// How record values are written: the wire contract is camelCase JSON, one line, with JSON numbers for
/// numbers. MassTransit's own options write decimals as strings (<c>"amount":"25.80"</c>), which a Kafka
/// client in another language would have to special-case; everything else (names, dates, enums, its
/// converters) stays as MassTransit writes it, and reading stays tolerant of both (numbers from strings).
/// </summary>
public static class WireJson
{
    public static readonly JsonSerializerOptions Options = Create();

    static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(SystemTextJsonMessageSerializer.Options)
        {
            WriteIndented = false,
            NumberHandling = JsonNumberHandling.AllowReadingFromString,
        };
        foreach (var numbersAsText in options.Converters.Where(c => c.CanConvert(typeof(decimal)) || c.CanConvert(typeof(decimal?))
                     || c.CanConvert(typeof(double)) || c.CanConvert(typeof(long)) || c.CanConvert(typeof(int))).ToList())
            options.Converters.Remove(numbersAsText);
        options.MakeReadOnly();
        return options;
    }
}
