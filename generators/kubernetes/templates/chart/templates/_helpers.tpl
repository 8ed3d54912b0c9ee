{{- /*
Helpers of the workload chart. Every value from .Values reaches the output through `quote`,
`int` or `toYaml`, so no string is ever re-read as YAML or as a template.
*/ -}}

{{- define "workload.guard" -}}
{{- if and .Values.name (ne .Release.Name .Values.name) -}}
{{- fail (printf "the release is named %q but these values are for the workload %q: name the release after its workload" .Release.Name .Values.name) -}}
{{- end -}}
{{- if and .Values.namespace (ne .Release.Namespace .Values.namespace) -}}
{{- fail (printf "the release is in namespace %q but these values are for namespace %q" .Release.Namespace .Values.namespace) -}}
{{- end -}}
{{- end -}}

{{- define "workload.selectorLabels" -}}
app.kubernetes.io/name: {{ .Release.Name | quote }}
{{- end -}}

{{- define "workload.labels" -}}
{{ include "workload.selectorLabels" . }}
app.kubernetes.io/part-of: {{ .Values.partOf | quote }}
{{- range $key, $value := .Values.extraLabels }}
{{ $key | quote }}: {{ $value | quote }}
{{- end }}
{{- end -}}

{{- define "workload.metadata" -}}
{{- include "workload.guard" . -}}
name: {{ .Release.Name | quote }}
namespace: {{ .Release.Namespace | quote }}
labels:
  {{- include "workload.labels" . | nindent 2 }}
{{- end -}}

{{- define "workload.annotations" -}}
{{- with .Values.description }}
kubernetes.io/description: {{ . | quote }}
{{- end }}
{{- range $i, $skip := .Values.checkovSkips }}
checkov.io/skip{{ add1 $i }}: {{ printf "%s=%s" $skip.id $skip.reason | quote }}
{{- end }}
{{- range $key, $value := .Values.extraAnnotations }}
{{ $key | quote }}: {{ $value | quote }}
{{- end }}
{{- end -}}

{{- define "workload.image" -}}
{{- .repository -}}
{{- with .tag }}:{{ . }}{{ end -}}
{{- with .digest }}@{{ . }}{{ end -}}
{{- end -}}

{{- define "workload.probe" -}}
{{- if eq .type "http" -}}
httpGet:
  path: {{ .path | quote }}
  port: {{ .port | int }}
{{- else -}}
tcpSocket:
  port: {{ .port | int }}
{{- end }}
periodSeconds: {{ .periodSeconds | int }}
timeoutSeconds: {{ .timeoutSeconds | int }}
{{- end -}}

{{- define "workload.podSpec" -}}
serviceAccountName: {{ .Release.Name | quote }}
automountServiceAccountToken: {{ .Values.serviceAccount.automountToken }}
securityContext:
  runAsNonRoot: true
  runAsUser: {{ .Values.securityContext.runAsUser | int }}
  runAsGroup: {{ .Values.securityContext.runAsGroup | int }}
  fsGroup: {{ .Values.securityContext.runAsGroup | int }}
  seccompProfile:
    type: RuntimeDefault
containers:
  - name: {{ .Release.Name | quote }}
    image: {{ include "workload.image" .Values.image | quote }}
    imagePullPolicy: {{ .Values.image.pullPolicy | quote }}
    {{- with .Values.ports }}
    ports:
      {{- range . }}
      - name: {{ .name | quote }}
        containerPort: {{ .port | int }}
        protocol: TCP
      {{- end }}
    {{- end }}
    {{- if or .Values.env .Values.secretEnv }}
    env:
      {{- range .Values.env }}
      - name: {{ .name | quote }}
        value: {{ .value | quote }}
      {{- end }}
      {{- range .Values.secretEnv }}
      - name: {{ .name | quote }}
        valueFrom:
          secretKeyRef:
            name: {{ .secret | quote }}
            key: {{ .key | quote }}
      {{- end }}
    {{- end }}
    resources:
      requests:
        cpu: {{ .Values.resources.cpu | quote }}
        memory: {{ .Values.resources.memory | quote }}
      limits:
        cpu: {{ .Values.resources.cpu | quote }}
        memory: {{ .Values.resources.memory | quote }}
    {{- if ne .Values.probe.type "none" }}
    livenessProbe:
      {{- include "workload.probe" .Values.probe | nindent 6 }}
    readinessProbe:
      {{- include "workload.probe" .Values.probe | nindent 6 }}
    {{- end }}
    securityContext:
      allowPrivilegeEscalation: false
      readOnlyRootFilesystem: true
      runAsNonRoot: true
      runAsUser: {{ .Values.securityContext.runAsUser | int }}
      runAsGroup: {{ .Values.securityContext.runAsGroup | int }}
      capabilities:
        drop:
          - ALL
      seccompProfile:
        type: RuntimeDefault
    volumeMounts:
      - name: tmp
        mountPath: /tmp
volumes:
  - name: tmp
    emptyDir: {}
{{- end -}}

{{- /*
An object of the release, with the edits that replay the blueprint's kustomize patches
(objectEdits: paths to remove and to set, computed by generators/kubernetes/patches.py: map keys,
and indexes into lists; the last step is always a key).
Argument: (list $ text). An object without edits is emitted as its template wrote it; an edited
one is written by workload.flow, not toYaml: toYaml returns nothing for a string with a DEL
character and turns NEL into a space, where `quote` escapes both.
*/ -}}
{{- define "workload.edited" -}}
{{- $root := index . 0 -}}
{{- $text := index . 1 -}}
{{- $edited := "" -}}
{{- if and $root.Values.objectEdits (trim $text) -}}
{{- $obj := fromYaml $text -}}
{{- if hasKey $obj "Error" -}}
{{- fail (printf "objectEdits: a template rendered YAML that does not parse: %s" $obj.Error) -}}
{{- end -}}
{{- range $root.Values.objectEdits -}}
{{- if and (eq .kind $obj.kind) (eq .name $obj.metadata.name) -}}
{{- range .remove -}}
{{- $parent := $obj -}}
{{- range initial . -}}
{{- if kindIs "string" . }}{{ $parent = get $parent . }}{{ else }}{{ $parent = index $parent (int .) }}{{ end -}}
{{- end -}}
{{- $_ := unset $parent (last .) -}}
{{- end -}}
{{- range .set -}}
{{- $parent := $obj -}}
{{- range initial .path -}}
{{- if kindIs "string" . }}{{ $parent = get $parent . }}{{ else }}{{ $parent = index $parent (int .) }}{{ end -}}
{{- end -}}
{{- $_ := set $parent (last .path) .value -}}
{{- end -}}
{{- $edited = include "workload.flow" $obj -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- if $edited }}
{{ $edited }}
{{- else }}
{{- $text }}
{{- end -}}
{{- end -}}

{{- /*
A value as one line of flow YAML: strings through `quote` (Go escapes, all valid in a YAML
double-quoted scalar), whole numbers as integers, maps in key order. Recursive.
*/ -}}
{{- define "workload.flow" -}}
{{- if kindIs "map" . -}}
{{- $first := true -}}
{ {{- range $key, $value := . -}}
{{- if not $first }}, {{ end -}}
{{- $first = false -}}
{{- $key | quote }}: {{ include "workload.flow" $value -}}
{{- end -}} }
{{- else if kindIs "slice" . -}}
{{- $first := true -}}
[ {{- range . -}}
{{- if not $first }}, {{ end -}}
{{- $first = false -}}
{{- include "workload.flow" . -}}
{{- end -}} ]
{{- else if kindIs "string" . -}}
{{- . | quote -}}
{{- else if kindIs "bool" . -}}
{{- . -}}
{{- else if kindIs "invalid" . -}}
null
{{- else if and (kindIs "float64" .) (ne (float64 (int64 .)) .) -}}
{{- . | toJson -}}
{{- else if or (kindIs "float64" .) (kindIs "int64" .) (kindIs "int" .) -}}
{{- int64 . -}}
{{- else -}}
{{- fail (printf "objectEdits: a value of kind %s cannot be written" (kindOf .)) -}}
{{- end -}}
{{- end -}}
