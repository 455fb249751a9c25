using MassTransit;

namespace SagaDemo.Persistence.Sagas;

/// <summary>
/// Another transaction changed (or created) the instance first. Transient: the endpoint's retry policy
/// reloads the instance and applies the message on top of the winner's state.
/// </summary>
public sealed class SagaConcurrencyException : ConcurrencyException
{
    public SagaConcurrencyException(string message, Type sagaType, Guid correlationId)
        : base(message, sagaType, correlationId)
    {
    }

    public SagaConcurrencyException(string message, Type sagaType, Guid correlationId, Exception innerException)
        : base(message, sagaType, correlationId, innerException)
    {
    }
}
