using System.Globalization;
using Microsoft.Extensions.Options;
using SagaDemo.Host.OperationsConsole.Browsing;
using SagaDemo.Host.OperationsConsole.DeadLetters;
using SagaDemo.Host.OperationsConsole.Timeline;
using SagaDemo.Services.Http;
using SagaDemo.Services.Http.Access;
using SagaDemo.Services.Operations;
using SagaDemo.Services.Operations.Browsing;
using SagaDemo.Services.Operations.DeadLetters;

namespace SagaDemo.Host.OperationsConsole;

/// <summary>The operations console's read API and dead-letter actions (api role); the page at /console calls these.</summary>
public static class ConsoleEndpoints
{
    const string Tag = "Console";
    const int DefaultPerPartition = 50, MaxPerPartition = 500;

    public static IEndpointRouteBuilder MapOperationsConsole(this IEndpointRouteBuilder routes, bool kafka)
    {
        routes.MapGet("/operations", ListOperationsAsync)
            .WithName("ListOperations").WithTags(Tag)
            .WithSummary("List operations")
            .WithDescription("Newest first. Filters: type, status, from/to (creation time, ISO 8601), id (a piece of the id); " +
                "paging: offset, limit (1-200, default 50). A client sees its own operations; an operator (Console:Operators) every client's.")
            .Produces<OperationListView>(StatusCodes.Status200OK)
            .ProducesValidationProblem();
        routes.MapGet("/operations/{id}/timeline", GetTimelineAsync)
            .WithName("GetOperationTimeline").WithTags(Tag)
            .WithSummary("An operation's timeline")
            .WithDescription("Each state change of the sagas that worked on the operation, in order, with its time, the time since " +
                "the step before, the Kafka record (topic, partition, offset) that caused it and its trace id (linked when Console:TraceUrl is set).")
            .Produces<OperationTimelineView>(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        if (!kafka)
            return routes;
        routes.MapGet("/dead-letters", ListDeadLettersAsync)
            .WithName("ListDeadLetters").WithTags(Tag)
            .WithSummary("List dead letters")
            .WithDescription("The newest records (limit per partition, 1-500, default 50) of every dead-letter topic, or of one " +
                "(topic), newest first: why each is there, where it came from, its key, headers and value, and what was decided about it. Operators only.")
            .Produces<DeadLetterListView>(StatusCodes.Status200OK)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden);
        MapAction(routes, DeadLetterActions.Replay, "ReplayDeadLetter", "Replay a dead letter",
            "Produces the original record once more to its original topic, once: a repeated request answers " +
            "already-applied and produces nothing. 409 when it was discarded or its copy is not whole. Operators only.", ReplayAsync);
        MapAction(routes, DeadLetterActions.Discard, "DiscardDeadLetter", "Discard a dead letter",
            "Records that the record is not to be replayed; a repeated request answers already-applied. " +
            "409 when it was replayed. Operators only.", DiscardAsync);
        return routes;
    }

    static void MapAction(IEndpointRouteBuilder routes, string action, string name, string summary, string description, Delegate handler) =>
        routes.MapPost($"/dead-letters/{{topic}}/{{partition}}/{{offset}}/{action}", handler)
            .WithName(name).WithTags(Tag).WithSummary(summary).WithDescription(description)
            .Produces<DeadLetterActionView>(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

    static async Task<IResult> ListOperationsAsync(HttpContext http, IOperationBrowser browser, IOptions<ConsoleOptions> console,
        AccessOptions access, CancellationToken ct)
    {
        var (_, isOperator) = console.Value.Caller(http, access);
        var (filter, errors) = OperationQueryParser.Parse(http.Request.Query, ClientIdentity.Of(http), isOperator);
        if (filter is null)
            return Problems.Invalid(errors);
        var page = await browser.ListAsync(filter, ct);
        var next = filter.Offset + page.Items.Count;
        return Results.Ok(new OperationListView([.. page.Items.Select(OperationView.From)], page.Total, filter.Offset,
            next < page.Total && page.Items.Count > 0 ? next : null));
    }

    static async Task<IResult> GetTimelineAsync(string id, HttpContext http, IOperationStore store, IEnumerable<ISagaTimelineSource> sagas,
        IOptions<ConsoleOptions> console, AccessOptions access, CancellationToken ct)
    {
        if (!Problems.TryParseId(id, out var operationId, out var invalid))
            return invalid!;
        var (_, isOperator) = console.Value.Caller(http, access);
        var operation = await store.FindAsync(operationId, ct);
        if (operation is null || (!isOperator && operation.Owner != ClientIdentity.Of(http)))
            return Problems.NotFound($"Operation {operationId} does not exist.");
        var sources = sagas.ToList();
        var found = new List<SagaTimelineView>();
        foreach (var source in sources)
            if (await source.FindAsync(operationId, ct) is { } timeline)
                found.Add(OperationTimelineView.View(timeline, operation.CreatedAt, console.Value));
        return Results.Ok(new OperationTimelineView(OperationView.From(operation), found, [.. sources.Select(s => s.Saga)]));
    }

    static async Task<IResult> ListDeadLettersAsync(HttpContext http, DeadLetterReader reader, IDeadLetterDecisions decisions,
        IOptions<ConsoleOptions> console, AccessOptions access, string? topic, string? limit, CancellationToken ct)
    {
        if (Forbidden(http, console.Value, access) is { } forbidden)
            return forbidden;
        var errors = new Dictionary<string, string[]>();
        if (topic is not null && !DeadLetterReader.IsDeadLetterTopic(topic))
            errors["topic"] = [$"A dead-letter topic: {string.Join(", ", DeadLetterReader.Topics)}."];
        var perPartition = DefaultPerPartition;
        if (limit is not null && (!int.TryParse(limit, out perPartition) || perPartition is < 1 or > MaxPerPartition))
            errors["limit"] = [$"A whole number from 1 to {MaxPerPartition}."];
        if (errors.Count > 0)
            return Problems.Invalid(errors);
        var topics = topic is null ? DeadLetterReader.Topics : [topic];
        var records = await reader.ReadAsync(topics, perPartition, ct);
        var decided = new Dictionary<DeadLetterRef, DeadLetterDecision>();
        foreach (var t in records.Select(r => r.Topic).Distinct())
            foreach (var d in await decisions.ListAsync(t, ct))
                decided[d.Record] = d;
        return Results.Ok(new DeadLetterListView(DeadLetterReader.Topics,
            [.. records.Select(r => r with { Decision = decided.GetValueOrDefault(new DeadLetterRef(r.Topic, r.Partition, r.Offset)) })]));
    }

    static Task<IResult> ReplayAsync(string topic, string partition, string offset, HttpContext http, DeadLetterActionsService actions,
        IOptions<ConsoleOptions> console, AccessOptions access, CancellationToken ct) =>
        ActAsync(topic, partition, offset, http, console.Value, access, (at, by) => actions.ReplayAsync(at, by, ct));

    static Task<IResult> DiscardAsync(string topic, string partition, string offset, HttpContext http, DeadLetterActionsService actions,
        IOptions<ConsoleOptions> console, AccessOptions access, CancellationToken ct) =>
        ActAsync(topic, partition, offset, http, console.Value, access, (at, by) => actions.DiscardAsync(at, by, ct));

    static async Task<IResult> ActAsync(string topic, string partition, string offset, HttpContext http, ConsoleOptions console,
        AccessOptions access, Func<DeadLetterRef, string, Task<DeadLetterResult>> act)
    {
        if (Forbidden(http, console, access) is { } forbidden)
            return forbidden;
        if (!int.TryParse(partition, NumberStyles.None, CultureInfo.InvariantCulture, out var p)
            || !long.TryParse(offset, NumberStyles.None, CultureInfo.InvariantCulture, out var o))
            return Problems.BadRequest("Partition and offset are whole numbers, as the dead-letter list shows them.");
        var at = new DeadLetterRef(topic, p, o);
        if (!DeadLetterReader.IsDeadLetterTopic(topic))
            return Problems.NotFound($"There is no dead-letter record {at}.");
        DeadLetterResult result;
        try
        {
            result = await act(at, console.Caller(http, access).Name);
        }
        catch (Exception e) when (e is TimeoutException or Confluent.Kafka.KafkaException)
        {
            // The broker, not the request: nothing was decided (a failed replay takes its decision back), so it can be retried.
            return Problems.Unavailable($"Kafka did not answer in time for {at}: {e.Message}");
        }
        return result.Outcome switch
        {
            DeadLetterOutcome.Applied => Results.Ok(new DeadLetterActionView("applied", result.Decision!)),
            DeadLetterOutcome.AlreadyApplied => Results.Ok(new DeadLetterActionView("already-applied", result.Decision!)),
            DeadLetterOutcome.DecidedOtherwise => Conflict(
                $"{at} was already decided: {result.Decision!.Action} by {result.Decision.By} at {result.Decision.At:O}."),
            DeadLetterOutcome.NotReplayable => Conflict($"{at} cannot be replayed: {result.Reason}"),
            _ => Problems.NotFound($"There is no dead-letter record {at} (never written, or removed by the topic's retention)."),
        };
    }

    static IResult? Forbidden(HttpContext http, ConsoleOptions console, AccessOptions access) =>
        console.Caller(http, access).IsOperator ? null
            : Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden",
                detail: "Dead letters hold every client's records: only operators (Console:Operators) may see and act on them.");

    static IResult Conflict(string detail) =>
        Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict", detail: detail);
}
