{{/* Chart name, truncated to the 63 characters DNS labels allow. */}}
{{- define "saga-demo.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Release-scoped base name of every object. */}}
{{- define "saga-demo.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "saga-demo.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "saga-demo.labels" -}}
helm.sh/chart: {{ include "saga-demo.chart" . }}
{{ include "saga-demo.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: saga-demo
{{- end }}

{{- define "saga-demo.selectorLabels" -}}
app.kubernetes.io/name: {{ include "saga-demo.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* Name of one service's objects; call with (dict "root" $ "name" $svcName). */}}
{{- define "saga-demo.serviceName" -}}
{{- printf "%s-%s" (include "saga-demo.fullname" .root) .name | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Selector labels of one service's pods; call with (dict "root" $ "name" $svcName). */}}
{{- define "saga-demo.serviceSelectorLabels" -}}
{{ include "saga-demo.selectorLabels" .root }}
app.kubernetes.io/component: {{ .name }}
{{- end }}

{{- define "saga-demo.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "saga-demo.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "saga-demo.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{/*
Kafka bootstrap servers: explicit kafkaConnection.bootstrapServers, else the bundled broker.
Without either each pod would start its own embedded mock cluster and the services would never
meet, so that is a hard error rather than a silent default.
*/}}
{{- define "saga-demo.kafkaBootstrapServers" -}}
{{- if .Values.kafkaConnection.bootstrapServers }}
{{- .Values.kafkaConnection.bootstrapServers }}
{{- else if .Values.kafka.enabled }}
{{- printf "%s-kafka:9092" .Release.Name }}
{{- else }}
{{- fail "kafkaConnection.bootstrapServers is required when kafka.enabled is false" }}
{{- end }}
{{- end }}

{{- define "saga-demo.secretName" -}}
{{- default (printf "%s-credentials" (include "saga-demo.fullname" .)) .Values.secrets.existingSecret }}
{{- end }}

{{- define "saga-demo.usesSasl" -}}
{{- if hasPrefix "SASL_" .Values.kafkaConnection.securityProtocol }}true{{ end }}
{{- end }}

{{- define "saga-demo.usesTls" -}}
{{- if has .Values.kafkaConnection.securityProtocol (list "SSL" "SASL_SSL") }}true{{ end }}
{{- end }}

{{/* Whether the services verify the brokers against a private CA bundle from the Secret. */}}
{{- define "saga-demo.usesCaBundle" -}}
{{- if and (include "saga-demo.usesTls" .) (or .Values.kafkaConnection.tls.caCert (and .Values.secrets.existingSecret .Values.kafkaConnection.tls.caInExistingSecret)) }}true{{ end }}
{{- end }}

{{/*
Whether the services verify the PostgreSQL server against a private CA bundle from the Secret: the chart's
Secret (postgresTls.caCert) or secrets.existingSecret (postgresTls.caInExistingSecret). The volume is not
optional: a CA that was asked for and is missing stops the pod instead of leaving TLS unverified.
*/}}
{{- define "saga-demo.usesPostgresCa" -}}
{{- if .Values.secrets.existingSecret }}
{{- if .Values.postgresTls.caCert }}
{{- fail "postgresTls.caCert cannot go into secrets.existingSecret: put postgres-ca.crt there and set postgresTls.caInExistingSecret" }}
{{- end }}
{{- if .Values.postgresTls.caInExistingSecret }}true{{ end }}
{{- else if .Values.postgresTls.caCert }}true{{ end }}
{{- end }}

{{/* Whether the HTTP API requires API keys. */}}
{{- define "saga-demo.usesApiKeys" -}}
{{- if eq .Values.auth.mode "ApiKey" }}true{{ end }}
{{- end }}

{{/*
The Secret holding the API keys as environment variables (Auth__ApiKeys__<n>__ClientId/KeyHash/Key):
auth.existingSecret, else the one api-keys-secret.yaml renders from auth.apiKeys.
*/}}
{{- define "saga-demo.apiKeysSecretName" -}}
{{- default (printf "%s-api-keys" (include "saga-demo.fullname" .)) .Values.auth.existingSecret }}
{{- end }}

{{/* KEDA's name for the SASL mechanism (plaintext, scram_sha256, scram_sha512). */}}
{{- define "saga-demo.kedaSasl" -}}
{{- $m := .Values.kafkaConnection.sasl.mechanism }}
{{- if eq $m "PLAIN" }}plaintext{{ else if eq $m "SCRAM-SHA-256" }}scram_sha256{{ else }}scram_sha512{{ end }}
{{- end }}

{{/* kafka_exporter's name for the SASL mechanism (plain, scram-sha256, scram-sha512). */}}
{{- define "saga-demo.exporterSasl" -}}
{{- $m := .Values.kafkaConnection.sasl.mechanism }}
{{- if eq $m "PLAIN" }}plain{{ else if eq $m "SCRAM-SHA-256" }}scram-sha256{{ else }}scram-sha512{{ end }}
{{- end }}

{{/* Whether a service is scaled by an autoscaler (then its Deployment leaves replicas alone). */}}
{{- define "saga-demo.autoscaled" -}}
{{- if and (ne .root.Values.autoscaling.mode "none") .svc.autoscaling.enabled .svc.consumers }}true{{ end }}
{{- end }}
