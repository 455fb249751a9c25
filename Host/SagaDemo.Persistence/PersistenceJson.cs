using System.Text.Json;

namespace SagaDemo.Persistence;

/// <summary>One JSON dialect for everything stored: camelCase like the wire, so a row reads like the message it came from.</summary>
public static class PersistenceJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);
}
