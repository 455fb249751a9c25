using Confluent.Kafka;

namespace SagaDemo.Kafka.Producing;

/// <summary>
/// Produce errors that trying again cannot cure: the record, its topic or this client is refused as such. Anything
/// else (a broker away, a timeout, a leader moving) passes by itself and is worth waiting out.
/// </summary>
public static class KafkaRefusals
{
    public static bool IsPermanent(ErrorCode code) => code is
        ErrorCode.MsgSizeTooLarge or ErrorCode.RecordListTooLarge or ErrorCode.InvalidMsgSize
        or ErrorCode.InvalidMsg or ErrorCode.InvalidRecord
        or ErrorCode.TopicAuthorizationFailed or ErrorCode.ClusterAuthorizationFailed or ErrorCode.TransactionalIdAuthorizationFailed
        or ErrorCode.TopicException or ErrorCode.PolicyViolation or ErrorCode.UnsupportedForMessageFormat
        or ErrorCode.Local_UnknownTopic or ErrorCode.Local_InvalidArg;

    public static bool IsTooLarge(ErrorCode code) => code is ErrorCode.MsgSizeTooLarge or ErrorCode.RecordListTooLarge;
}
