using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SagaDemo.Services.Operations;

/// <summary>
/// The original demo's operation document: <c>{uuid, type, state, data, response:{state[, error]}[, error]}</c>.
/// When a user-create ends, <c>data</c> gains the user's <c>uuid</c>, <c>createdAt</c> and
/// <c>approved</c> ("true"/"false" strings, as the original wrote them).
/// </summary>
public static class CompatEnvelope
{
    public static JsonObject From(Operation operation)
    {
        var data = JsonSerializer.SerializeToNode(operation.Request) as JsonObject ?? [];
        if (operation.Type == OperationTypes.UserCreate && operation.Status != OperationStatus.Pending
            && operation.SubjectId is { } userId)
        {
            data["createdAt"] = operation.CreatedAt.ToString("O", CultureInfo.InvariantCulture);
            data["uuid"] = userId.ToString();
            data["approved"] = operation.Status == OperationStatus.Completed ? "true" : "false";
        }

        var response = new JsonObject { ["state"] = operation.Status };
        var envelope = new JsonObject
        {
            ["uuid"] = operation.Id.ToString(),
            ["type"] = operation.Type,
            ["state"] = operation.Status,
            ["data"] = data,
            ["response"] = response,
        };
        if (operation.Error is { } error)
        {
            response["error"] = error;
            envelope["error"] = error;
        }
        return envelope;
    }
}
