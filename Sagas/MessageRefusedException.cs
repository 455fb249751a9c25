namespace SagaDemo.Sagas;

/// <summary>
/// A message a saga or service refuses for what it says (an amount that contradicts what the saga knows): never
/// retried, since it would say the same again, but dead-lettered at once with this reason. It changes nothing.
/// </summary>
public sealed class MessageRefusedException(string message) : Exception(message)
{
    /// <summary>Whether <paramref name="exception"/> is one, or wraps one (a saga's event failure wraps it).</summary>
    public static bool Is(Exception? exception)
    {
        for (; exception is not null; exception = exception.InnerException)
            if (exception is MessageRefusedException)
                return true;
        return false;
    }
}
