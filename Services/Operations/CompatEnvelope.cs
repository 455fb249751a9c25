using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace SagaDemo.Services.Operations;

/// <summary>
/// The original demo's operation document: <c>{uuid, type, state, data, response:{state[, error]}[, error]}</c>.
/// When a user-create ends, <c>data</c> gains the user's <c>uuid</c>, <c>createdAt</c> and
/// <c>approved</c> ("true"/"false" strings, as the original wrote them).
/// </summary>
public static class CompatEnvelope
{
    public static CompatOperation From(Operation operation)
    {
        var data = JsonSerializer.SerializeToNode(operation.Request) as JsonObject ?? [];
        if (operation.Type == OperationTypes.UserCreate && operation.Status != OperationStatus.Pending
            && operation.SubjectId is { } userId)
        {
            data["createdAt"] = operation.CreatedAt.ToString("O", CultureInfo.InvariantCulture);
            data["uuid"] = userId.ToString();
            data["approved"] = operation.Status == OperationStatus.Completed ? "true" : "false";
        }
        return new CompatOperation(operation.Id.ToString(), operation.Type, operation.Status, data,
            new CompatOperationResponse(operation.Status, operation.Error), operation.Error);
    }
}

/// <summary>The compat envelope; <c>error</c> appears only on failure, as in the original.</summary>
/// <param name="Uuid">The operation id.</param>
/// <param name="Type">The operation name from the path, e.g. user-create.</param>
/// <param name="State">pending, completed or failed.</param>
/// <param name="Data">The request body; a finished user-create adds createdAt, uuid and approved ("true"/"false").</param>
public sealed record CompatOperation(string Uuid, string Type, string State, JsonObject Data, CompatOperationResponse Response,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Error);

/// <summary>The envelope's <c>response</c>: the final state and, on failure, why.</summary>
public sealed record CompatOperationResponse(string State,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Error);
