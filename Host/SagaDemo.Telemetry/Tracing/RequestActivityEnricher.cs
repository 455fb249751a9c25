using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace SagaDemo.Telemetry.Tracing;

/// <summary>
/// ASP.NET Core starts an Activity per request but, without the OpenTelemetry instrumentation
/// package (not in our feed), leaves route, status and error marking to us: this middleware adds
/// the semantic-convention tags a trace backend groups and colours by.
/// </summary>
internal sealed class RequestActivityEnricher(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        finally
        {
            if (Activity.Current is { } activity && activity.OperationName == "Microsoft.AspNetCore.Hosting.HttpRequestIn")
                Enrich(activity, context);
        }
    }

    private static void Enrich(Activity activity, HttpContext context)
    {
        var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText;
        SetIfAbsent(activity, "http.request.method", context.Request.Method);
        SetIfAbsent(activity, "url.path", context.Request.Path.Value);
        if (route is not null)
        {
            SetIfAbsent(activity, "http.route", route);
            activity.DisplayName = $"{context.Request.Method} {route}";
        }
        SetIfAbsent(activity, "http.response.status_code", context.Response.StatusCode);
        if (context.Response.StatusCode >= 500)
            activity.SetStatus(ActivityStatusCode.Error);
    }

    private static void SetIfAbsent(Activity activity, string tag, object? value)
    {
        if (activity.GetTagItem(tag) is null)
            activity.SetTag(tag, value);
    }
}
