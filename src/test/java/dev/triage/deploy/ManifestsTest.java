package dev.triage.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.Reader;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import io.fabric8.knative.eventing.v1.Broker;
import io.fabric8.knative.eventing.v1.Trigger;
import io.fabric8.knative.serving.v1.RevisionSpec;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec;

/**
 * Renders every kustomize overlay in k8s/overlays with a real kustomize v5 (see {@link Kustomize}), parses the
 * output into fabric8's typed Kubernetes and Knative models and checks the deployment contract of Triage:
 * <ul>
 * <li>Knative: scale to zero, a max scale, concurrency autoscaling with the sizing rule
 * {@code target == 1} at 100 % utilisation and {@code containerConcurrency == 2}, whatever the cores (a request's
 * micro-batches are spread over every worker, so one batch keeps all the cores busy; one more waits behind it);
 * cluster-local visibility except in the knative-public overlay, which exposes the Service on purpose;</li>
 * <li>both flavours: whole-core CPU request == limit (the pool has one worker per core), the pool left at auto
 * or equal to the cores, health probes on /q/health/ready and /q/health/live, no startupProbe, /tmp on an
 * emptyDir, non-root with a read-only root filesystem, no privilege escalation, all capabilities dropped, a
 * grace period longer than quarkus.shutdown.timeout;</li>
 * <li>eventing: the Trigger takes type triage.classify from the Broker to the Knative Service;</li>
 * <li>plain Kubernetes: a Deployment, a Service on port 80 to the app's port and an HPA on that Deployment;</li>
 * <li>no field that the models do not know (a misspelt key would be silently ignored by a cluster).</li>
 * </ul>
 */
class ManifestsTest {

    static final String PLACEHOLDER_IMAGE = "triage:latest";
    static final String APP_CONTAINER = "triage";
    static final int APP_PORT = 8080;
    static final String VISIBILITY = "networking.knative.dev/visibility";
    /** Default of triage.batch.deadline in TriageConfig, used when application.properties does not set it. */
    static final Duration DEFAULT_BATCH_DEADLINE = Duration.ofSeconds(120);

    private static final YAMLMapper YAML = new YAMLMapper();
    private static final Map<String, List<HasMetadata>> RENDERED = new LinkedHashMap<>();

    /** The kinds the overlays may contain, by apiVersion/kind. Anything else fails the test. */
    private static final Map<String, Class<? extends HasMetadata>> KINDS = Map.of(
            "serving.knative.dev/v1/Service", io.fabric8.knative.serving.v1.Service.class,
            "eventing.knative.dev/v1/Broker", Broker.class,
            "eventing.knative.dev/v1/Trigger", Trigger.class,
            "apps/v1/Deployment", Deployment.class,
            "v1/Service", Service.class,
            "autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class);

    @BeforeAll
    static void renderOverlays() {
        for (String overlay : List.of("knative", "knative-demo", "knative-public", "kubernetes")) {
            RENDERED.put(overlay, parse(Kustomize.render(overlay), "k8s/overlays/" + overlay));
        }
    }

    // --- Knative ----------------------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = { "knative", "knative-demo", "knative-public" })
    void knativeServiceScalesToZeroWithConcurrencyFromTheCores(String overlay) {
        io.fabric8.knative.serving.v1.Service ksvc = knativeService(overlay);
        String where = overlay + ": Knative Service triage";
        Map<String, String> annotations = ksvc.getSpec().getTemplate().getMetadata().getAnnotations();
        assertNotNull(annotations, where + ": no annotations on spec.template.metadata");

        assertEquals("0", annotations.get("autoscaling.knative.dev/min-scale"), where + ": min-scale");
        String maxScale = annotations.get("autoscaling.knative.dev/max-scale");
        assertNotNull(maxScale, where + ": autoscaling.knative.dev/max-scale must be set (bounded cost)");
        assertTrue(Integer.parseInt(maxScale) >= 1, where + ": max-scale " + maxScale);
        assertEquals("concurrency", annotations.get("autoscaling.knative.dev/metric"), where + ": metric");

        RevisionSpec spec = ksvc.getSpec().getTemplate().getSpec();
        wholeCores(appContainer(spec.getContainers(), where), where);
        assertNotNull(spec.getContainerConcurrency(), where + ": containerConcurrency (hard limit) must be set");
        assertEquals(2L, spec.getContainerConcurrency(), where
                + ": containerConcurrency must be 2 (one batch on every core, the next one queued behind it)");
        assertEquals("1", annotations.get("autoscaling.knative.dev/target"), where
                + ": autoscaling target must be 1: one multi-text request already keeps every core busy");
        assertEquals("100", annotations.get("autoscaling.knative.dev/target-utilization-percentage"),
                where + ": target-utilization-percentage must be 100, or the target is not the core count");
    }

    @ParameterizedTest
    @ValueSource(strings = { "knative", "knative-demo" })
    void knativeServiceIsClusterLocalByDefault(String overlay) {
        Map<String, String> labels = knativeService(overlay).getMetadata().getLabels();
        assertEquals("cluster-local", labels == null ? null : labels.get(VISIBILITY), overlay
                + ": the Knative Service must be cluster-local (events arrive through the Broker)");
    }

    @Test
    void publicOverlayExposesTheSameService() {
        io.fabric8.knative.serving.v1.Service exposed = knativeService("knative-public");
        Map<String, String> labels = exposed.getMetadata().getLabels();
        assertNull(labels == null ? null : labels.get(VISIBILITY),
                "knative-public: the Knative Service must not carry " + VISIBILITY);
        assertEquals(knativeService("knative").getSpec(), exposed.getSpec(),
                "knative-public: only the visibility may differ from the knative overlay");
        assertEquals(RENDERED.get("knative").size(), RENDERED.get("knative-public").size(),
                "knative-public: the same resources as the knative overlay");
    }

    @ParameterizedTest
    @ValueSource(strings = { "knative", "knative-demo", "knative-public" })
    void knativeContainerFollowsTheContract(String overlay) {
        io.fabric8.knative.serving.v1.Service ksvc = knativeService(overlay);
        RevisionSpec spec = ksvc.getSpec().getTemplate().getSpec();
        String where = overlay + ": Knative Service triage";
        Container app = appContainer(spec.getContainers(), where);
        assertContainerContract(app, spec.getVolumes(), spec.getSecurityContext(), where);

        // Knative fills in the probe port itself and rejects a different one.
        assertNull(app.getReadinessProbe().getHttpGet().getPort(), where + ": Knative probes must not set a port");
        assertNull(app.getLivenessProbe().getHttpGet().getPort(), where + ": Knative probes must not set a port");

        // Knative uses the revision timeout as the pod's terminationGracePeriodSeconds.
        assertNotNull(spec.getTimeoutSeconds(), where + ": timeoutSeconds must be set");
        Duration grace = Duration.ofSeconds(spec.getTimeoutSeconds());
        assertTrue(grace.compareTo(shutdownBudget()) > 0, where + ": timeoutSeconds " + spec.getTimeoutSeconds()
                + " (= grace period) must exceed quarkus.shutdown.timeout + delay " + shutdownBudget());
        assertTrue(grace.compareTo(batchDeadline()) > 0, where + ": timeoutSeconds " + spec.getTimeoutSeconds()
                + " must exceed triage.batch.deadline " + batchDeadline()
                + " so that a slow batch gets the app's 503, not a gateway timeout");
    }

    @ParameterizedTest
    @ValueSource(strings = { "knative", "knative-demo", "knative-public" })
    void triggerSendsClassifyEventsFromTheBrokerToTheService(String overlay) {
        List<HasMetadata> resources = RENDERED.get(overlay);
        io.fabric8.knative.serving.v1.Service ksvc = knativeService(overlay);
        List<Trigger> classify = ofType(resources, Trigger.class).stream()
                .filter(t -> t.getSpec().getFilter() != null && t.getSpec().getFilter().getAttributes() != null
                        && "triage.classify".equals(t.getSpec().getFilter().getAttributes().get("type")))
                .toList();
        assertEquals(1, classify.size(), overlay + ": exactly one Trigger must filter type triage.classify");
        Trigger trigger = classify.get(0);

        var ref = trigger.getSpec().getSubscriber().getRef();
        assertNotNull(ref, overlay + ": the Trigger's subscriber must be a ref to the Knative Service");
        assertEquals("serving.knative.dev/v1", ref.getApiVersion(), overlay + ": subscriber apiVersion");
        assertEquals("Service", ref.getKind(), overlay + ": subscriber kind");
        assertEquals(ksvc.getMetadata().getName(), ref.getName(), overlay + ": subscriber name");

        String broker = trigger.getSpec().getBroker();
        assertTrue(ofType(resources, Broker.class).stream().anyMatch(b -> b.getMetadata().getName().equals(broker)),
                overlay + ": the Trigger's broker '" + broker + "' must be part of the overlay");
    }

    @Test
    void demoOverlayShowsTheRepliesInEventDisplay() {
        List<HasMetadata> resources = RENDERED.get("knative-demo");
        Trigger display = ofType(resources, Trigger.class).stream()
                .filter(t -> "triage.classified".equals(t.getSpec().getFilter().getAttributes().get("type")))
                .findFirst()
                .orElseGet(() -> fail("knative-demo: no Trigger on type triage.classified"));
        String target = display.getSpec().getSubscriber().getRef().getName();
        assertTrue(ofType(resources, io.fabric8.knative.serving.v1.Service.class).stream()
                .anyMatch(s -> s.getMetadata().getName().equals(target)),
                "knative-demo: the reply consumer '" + target + "' must be a Knative Service of the overlay");
    }

    // --- plain Kubernetes -------------------------------------------------------------------------------------

    @Test
    void kubernetesOverlayHasDeploymentServiceAndHpa() {
        List<HasMetadata> resources = RENDERED.get("kubernetes");
        assertTrue(resources.stream().noneMatch(r -> r.getApiVersion().contains("knative.dev")),
                "kubernetes: must not need Knative");
        Deployment deployment = single(resources, Deployment.class, "kubernetes");
        PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        String where = "kubernetes: Deployment " + deployment.getMetadata().getName();
        Container app = appContainer(pod.getContainers(), where);
        assertContainerContract(app, pod.getVolumes(), pod.getSecurityContext(), where);
        assertNull(deployment.getSpec().getReplicas(), where + ": replicas must be left to the HPA");

        assertNotNull(pod.getTerminationGracePeriodSeconds(), where + ": terminationGracePeriodSeconds");
        assertTrue(Duration.ofSeconds(pod.getTerminationGracePeriodSeconds()).compareTo(shutdownBudget()) > 0,
                where + ": terminationGracePeriodSeconds must exceed quarkus.shutdown.timeout + delay "
                        + shutdownBudget());

        Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();
        assertTrue(podLabels.entrySet().containsAll(deployment.getSpec().getSelector().getMatchLabels().entrySet()),
                where + ": the selector must match the pod template's labels");

        // Service: port 80 -> the app's port, selecting the Deployment's pods.
        Service service = single(resources, Service.class, "kubernetes");
        assertTrue(podLabels.entrySet().containsAll(service.getSpec().getSelector().entrySet()),
                "kubernetes: the Service's selector must match the Deployment's pods");
        ServicePort port = service.getSpec().getPorts().stream().filter(p -> p.getPort() == 80).findFirst()
                .orElseGet(() -> fail("kubernetes: the Service must listen on port 80"));
        assertEquals(APP_PORT, resolvePort(port, app), "kubernetes: Service port 80 must go to the app's port");

        // HPA on CPU, targeting that Deployment.
        HorizontalPodAutoscaler hpa = single(resources, HorizontalPodAutoscaler.class, "kubernetes");
        var ref = hpa.getSpec().getScaleTargetRef();
        assertEquals("apps/v1", ref.getApiVersion(), "kubernetes: HPA target apiVersion");
        assertEquals("Deployment", ref.getKind(), "kubernetes: HPA target kind");
        assertEquals(deployment.getMetadata().getName(), ref.getName(), "kubernetes: HPA target name");
        int min = hpa.getSpec().getMinReplicas() == null ? 1 : hpa.getSpec().getMinReplicas();
        assertTrue(min >= 1 && hpa.getSpec().getMaxReplicas() >= min, "kubernetes: HPA min/max replicas");
        MetricSpec cpu = hpa.getSpec().getMetrics().stream()
                .filter(m -> "Resource".equals(m.getType()) && "cpu".equals(m.getResource().getName()))
                .findFirst().orElseGet(() -> fail("kubernetes: the HPA must scale on CPU"));
        Integer utilisation = cpu.getResource().getTarget().getAverageUtilization();
        assertNotNull(utilisation, "kubernetes: the HPA's CPU target must be an averageUtilization");
        assertTrue(utilisation > 0 && utilisation <= 100, "kubernetes: CPU utilisation target " + utilisation);
    }

    @Test
    void bothFlavoursRunTheSameContainer() {
        Container knative = appContainer(knativeService("knative").getSpec().getTemplate().getSpec().getContainers(),
                "knative");
        Container plain = appContainer(single(RENDERED.get("kubernetes"), Deployment.class, "kubernetes").getSpec()
                .getTemplate().getSpec().getContainers(), "kubernetes");
        assertEquals(knative.getImage(), plain.getImage(), "image");
        assertEquals(env(knative), env(plain), "env");
        assertEquals(knative.getResources(), plain.getResources(), "resources");
        assertEquals(knative.getSecurityContext(), plain.getSecurityContext(), "container securityContext");
        assertEquals(knative.getVolumeMounts(), plain.getVolumeMounts(), "volumeMounts");
        assertEquals(knative.getReadinessProbe().getHttpGet().getPath(), plain.getReadinessProbe().getHttpGet().getPath());
        assertEquals(knative.getLivenessProbe().getHttpGet().getPath(), plain.getLivenessProbe().getHttpGet().getPath());
    }

    // --- every overlay ----------------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = { "knative", "knative-demo", "knative-public", "kubernetes" })
    void overlaySetsARealImage(String overlay) {
        String image = appContainer(podContainers(overlay), overlay).getImage();
        assertNotEquals(PLACEHOLDER_IMAGE, image, overlay + ": the overlay must replace the base's placeholder image");
        String last = image.substring(image.lastIndexOf('/') + 1);
        assertTrue(image.contains("@sha256:") || (last.contains(":") && !last.endsWith(":latest")),
                overlay + ": image '" + image + "' must name a tag other than latest, or a digest");
    }

    @ParameterizedTest
    @ValueSource(strings = { "knative", "knative-demo", "knative-public", "kubernetes" })
    void noStartupProbeAnywhere(String overlay) {
        // Older Knative releases reject startupProbe; the plain flavour keeps the same probes.
        for (HasMetadata r : RENDERED.get(overlay)) {
            for (Container c : containersOf(r)) {
                assertNull(c.getStartupProbe(), overlay + ": " + describe(r) + " container " + c.getName()
                        + " has a startupProbe");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "knative", "knative-demo", "knative-public", "kubernetes" })
    void everyFieldIsKnownToTheModels(String overlay) {
        List<String> unknown = new ArrayList<>();
        for (HasMetadata r : RENDERED.get(overlay)) {
            collectUnknownFields(r, describe(r), unknown, 0);
        }
        assertTrue(unknown.isEmpty(), overlay + ": fields the Kubernetes/Knative models do not know (typo?): "
                + unknown);
    }

    // --- deploy/deploy.sh --dry-run ---------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = { "knative", "kubernetes" })
    void deployScriptDryRunSubstitutesTheImage(String overlay) {
        String image = "registry.test/team/triage:9.9.9";
        Kustomize.Result r = Kustomize.run(List.of("bash", "deploy/deploy.sh", "--dry-run", "-n", "ml", overlay),
                Map.of("IMAGE", image, "KUSTOMIZE", String.join(" ", Kustomize.command())), 120);
        assertEquals(0, r.exitCode(), "deploy.sh --dry-run " + overlay + " failed:\n" + r.stderr());
        List<HasMetadata> rendered = parse(r.stdout(), "deploy.sh --dry-run " + overlay);
        List<HasMetadata> plain = RENDERED.get(overlay);
        assertEquals(plain.stream().map(ManifestsTest::describe).sorted().toList(),
                rendered.stream().map(ManifestsTest::describe).sorted().toList(),
                "deploy.sh must render the same resources as the overlay");
        for (HasMetadata res : rendered) {
            assertEquals("ml", res.getMetadata().getNamespace(), describe(res) + ": namespace from -n");
        }
        List<Container> containers = rendered.stream().flatMap(x -> containersOf(x).stream()).toList();
        assertEquals(image, appContainer(containers, "deploy.sh").getImage(), "deploy.sh must set $IMAGE");
    }

    @Test
    void deployScriptRefusesToRunWithoutImage() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("IMAGE", "");
        Kustomize.Result r = Kustomize.run(List.of("bash", "deploy/deploy.sh", "--dry-run", "knative"), env, 60);
        assertNotEquals(0, r.exitCode(), "deploy.sh without IMAGE must fail");
        assertTrue(r.stderr().contains("IMAGE is not set"), "deploy.sh must say what is missing:\n" + r.stderr());
    }

    // --- the container contract -------------------------------------------------------------------------------

    static void assertContainerContract(Container app, List<Volume> volumes, PodSecurityContext pod, String where) {
        int cores = wholeCores(app, where);

        Quantity memRequest = app.getResources().getRequests().get("memory");
        Quantity memLimit = app.getResources().getLimits().get("memory");
        assertNotNull(memRequest, where + ": memory request");
        assertNotNull(memLimit, where + ": memory limit");
        assertTrue(Quantity.getAmountInBytes(memRequest).compareTo(Quantity.getAmountInBytes(memLimit)) <= 0,
                where + ": memory request must not exceed the limit");

        Map<String, String> env = env(app);
        assertEquals("true", env.get("OPT_OUT_TRACKING"), where + ": OPT_OUT_TRACKING=true (DJL must not phone home)");
        assertEquals("true", env.get("DJL_OFFLINE"), where + ": DJL_OFFLINE=true");
        assertEquals("1", env.get("ORT_DISABLE_TELEMETRY"), where + ": ORT_DISABLE_TELEMETRY=1 (ORT's telemetry)");
        List<String> known = triageEnvNames();
        env.keySet().stream().filter(name -> name.startsWith("TRIAGE_"))
                .forEach(name -> assertTrue(known.contains(name), where + ": " + name
                        + " is no triage.* setting (a typo is silently ignored); known: " + known));
        String workers = env.getOrDefault("TRIAGE_POOL_WORKERS", "0");
        assertTrue(workers.equals("0") || workers.equals(String.valueOf(cores)),
                where + ": TRIAGE_POOL_WORKERS must be 0 (auto) or the CPU cores " + cores + ", not " + workers);

        assertTrue(app.getPorts().stream().map(ContainerPort::getContainerPort).anyMatch(p -> p == APP_PORT),
                where + ": container port " + APP_PORT);

        assertProbe(app.getReadinessProbe(), "/q/health/ready", where + ": readinessProbe");
        assertProbe(app.getLivenessProbe(), "/q/health/live", where + ": livenessProbe");
        assertNull(app.getStartupProbe(), where + ": no startupProbe (older Knative rejects it)");

        VolumeMount tmp = app.getVolumeMounts().stream().filter(m -> "/tmp".equals(m.getMountPath())).findFirst()
                .orElseGet(() -> fail(where + ": /tmp must be mounted (native libraries are extracted there)"));
        assertNotEquals(Boolean.TRUE, tmp.getReadOnly(), where + ": /tmp must be writable");
        Volume volume = volumes.stream().filter(v -> v.getName().equals(tmp.getName())).findFirst()
                .orElseGet(() -> fail(where + ": no volume " + tmp.getName()));
        assertNotNull(volume.getEmptyDir(), where + ": /tmp must be an emptyDir");

        SecurityContext sc = app.getSecurityContext();
        assertNotNull(sc, where + ": container securityContext");
        Boolean nonRoot = sc.getRunAsNonRoot() != null ? sc.getRunAsNonRoot() : pod == null ? null : pod.getRunAsNonRoot();
        assertEquals(Boolean.TRUE, nonRoot, where + ": runAsNonRoot");
        Long uid = sc.getRunAsUser() != null ? sc.getRunAsUser() : pod == null ? null : pod.getRunAsUser();
        assertTrue(uid == null || uid != 0, where + ": runAsUser must not be 0");
        assertEquals(Boolean.TRUE, sc.getReadOnlyRootFilesystem(), where + ": readOnlyRootFilesystem");
        assertEquals(Boolean.FALSE, sc.getAllowPrivilegeEscalation(), where + ": allowPrivilegeEscalation");
        assertNotNull(sc.getCapabilities(), where + ": capabilities");
        assertTrue(sc.getCapabilities().getDrop().contains("ALL"), where + ": capabilities must drop ALL");
        assertTrue(sc.getCapabilities().getAdd() == null || sc.getCapabilities().getAdd().isEmpty(),
                where + ": no added capabilities");
        String seccomp = sc.getSeccompProfile() != null ? sc.getSeccompProfile().getType()
                : pod != null && pod.getSeccompProfile() != null ? pod.getSeccompProfile().getType() : null;
        assertEquals("RuntimeDefault", seccomp, where + ": seccompProfile");
    }

    /** CPU request == limit == a whole number of cores (the pool runs one worker per core). */
    static int wholeCores(Container app, String where) {
        assertNotNull(app.getResources(), where + ": resources");
        Quantity request = app.getResources().getRequests() == null ? null : app.getResources().getRequests().get("cpu");
        Quantity limit = app.getResources().getLimits() == null ? null : app.getResources().getLimits().get("cpu");
        assertNotNull(request, where + ": CPU request");
        assertNotNull(limit, where + ": CPU limit");
        BigDecimal req = request.getNumericalAmount();
        BigDecimal lim = limit.getNumericalAmount();
        assertEquals(0, req.compareTo(lim), where + ": CPU request " + request + " must equal the limit " + limit);
        assertTrue(lim.signum() > 0 && lim.stripTrailingZeros().scale() <= 0,
                where + ": CPU limit " + limit + " must be a whole number of cores");
        return lim.intValueExact();
    }

    /** The environment names of every {@code triage.*} setting of the one @ConfigMapping, as Quarkus maps them. */
    static List<String> triageEnvNames() {
        List<String> names = new ArrayList<>();
        collectEnvNames(dev.triage.config.TriageConfig.class, "TRIAGE", names);
        return names;
    }

    private static void collectEnvNames(Class<?> group, String prefix, List<String> names) {
        for (Method method : group.getDeclaredMethods()) {
            if (Modifier.isStatic(method.getModifiers()) || method.getParameterCount() > 0) {
                continue;
            }
            String name = prefix + "_" + method.getName().replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase();
            Class<?> type = method.getReturnType();
            if (type.isInterface() && type.getDeclaringClass() == dev.triage.config.TriageConfig.class) {
                collectEnvNames(type, name, names);
            } else {
                names.add(name);
            }
        }
    }

    static void assertProbe(Probe probe, String path, String where) {
        assertNotNull(probe, where + " must be set");
        assertNotNull(probe.getHttpGet(), where + " must be an httpGet probe");
        assertEquals(path, probe.getHttpGet().getPath(), where + " path");
    }

    // --- parsing ----------------------------------------------------------------------------------------------

    static List<HasMetadata> parse(String yaml, String source) {
        List<HasMetadata> resources = new ArrayList<>();
        try (MappingIterator<JsonNode> docs = YAML.readerFor(JsonNode.class).readValues(yaml)) {
            while (docs.hasNext()) {
                JsonNode doc = docs.next();
                if (doc == null || doc.isNull() || doc.isEmpty()) {
                    continue;
                }
                String key = doc.path("apiVersion").asText() + "/" + doc.path("kind").asText();
                Class<? extends HasMetadata> type = KINDS.get(key);
                if (type == null) {
                    fail(source + ": unexpected resource " + key + " " + doc.path("metadata").path("name").asText()
                            + " (known: " + KINDS.keySet() + ")");
                }
                resources.add(YAML.treeToValue(doc, type));
            }
        } catch (IOException e) {
            fail(source + ": cannot parse the rendered YAML: " + e.getMessage(), e);
        }
        assertFalse(resources.isEmpty(), source + ": rendered nothing");
        return resources;
    }

    static io.fabric8.knative.serving.v1.Service knativeService(String overlay) {
        List<io.fabric8.knative.serving.v1.Service> services = ofType(RENDERED.get(overlay),
                io.fabric8.knative.serving.v1.Service.class).stream()
                .filter(s -> s.getSpec().getTemplate().getSpec().getContainers().stream()
                        .anyMatch(c -> APP_CONTAINER.equals(c.getName())))
                .toList();
        assertEquals(1, services.size(), overlay + ": exactly one Knative Service must run the triage container");
        return services.get(0);
    }

    static <T extends HasMetadata> List<T> ofType(List<HasMetadata> resources, Class<T> type) {
        return resources.stream().filter(type::isInstance).map(type::cast).toList();
    }

    static <T extends HasMetadata> T single(List<HasMetadata> resources, Class<T> type, String where) {
        List<T> found = ofType(resources, type);
        assertEquals(1, found.size(), where + ": exactly one " + type.getSimpleName());
        return found.get(0);
    }

    static Container appContainer(List<Container> containers, String where) {
        return containers.stream().filter(c -> APP_CONTAINER.equals(c.getName())).findFirst()
                .orElseGet(() -> fail(where + ": no container named '" + APP_CONTAINER + "'"));
    }

    static List<Container> podContainers(String overlay) {
        return RENDERED.get(overlay).stream().flatMap(r -> containersOf(r).stream()).toList();
    }

    static List<Container> containersOf(HasMetadata r) {
        List<Container> all = new ArrayList<>();
        if (r instanceof io.fabric8.knative.serving.v1.Service s) {
            RevisionSpec spec = s.getSpec().getTemplate().getSpec();
            all.addAll(Objects.requireNonNullElse(spec.getContainers(), List.of()));
            all.addAll(Objects.requireNonNullElse(spec.getInitContainers(), List.of()));
        } else if (r instanceof Deployment d) {
            PodSpec spec = d.getSpec().getTemplate().getSpec();
            all.addAll(Objects.requireNonNullElse(spec.getContainers(), List.of()));
            all.addAll(Objects.requireNonNullElse(spec.getInitContainers(), List.of()));
        }
        return all;
    }

    static Map<String, String> env(Container c) {
        return Objects.requireNonNullElse(c.getEnv(), List.<EnvVar>of()).stream()
                .collect(Collectors.toMap(EnvVar::getName, e -> Objects.requireNonNullElse(e.getValue(), ""),
                        (a, b) -> fail("environment variable set twice: " + a), LinkedHashMap::new));
    }

    static int resolvePort(ServicePort port, Container app) {
        var target = port.getTargetPort();
        if (target == null) {
            return port.getPort();
        }
        if (target.getIntVal() != null) {
            return target.getIntVal();
        }
        return app.getPorts().stream().filter(p -> target.getStrVal().equals(p.getName()))
                .map(ContainerPort::getContainerPort).findFirst()
                .orElseGet(() -> fail("targetPort '" + target.getStrVal() + "' names no container port"));
    }

    static String describe(HasMetadata r) {
        return r.getApiVersion() + "/" + r.getKind() + " " + r.getMetadata().getName();
    }

    /**
     * fabric8 keeps keys its model does not know in additionalProperties; on a cluster such a key is dropped or
     * rejected. Walks the typed object graph and reports every one of them with its path.
     */
    static void collectUnknownFields(Object o, String path, List<String> unknown, int depth) {
        if (o == null || depth > 40) {
            return;
        }
        if (o instanceof Collection<?> c) {
            int i = 0;
            for (Object e : c) {
                collectUnknownFields(e, path + "[" + i++ + "]", unknown, depth + 1);
            }
            return;
        }
        if (o instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                collectUnknownFields(e.getValue(), path + "." + e.getKey(), unknown, depth + 1);
            }
            return;
        }
        if (!o.getClass().getName().startsWith("io.fabric8.")) {
            return;
        }
        for (Method getter : o.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers())
                    || !getter.getName().startsWith("get") || getter.getDeclaringClass() == Object.class) {
                continue;
            }
            Object value;
            try {
                value = getter.invoke(o);
            } catch (IllegalAccessException | InvocationTargetException e) {
                continue;
            }
            if (getter.getName().equals("getAdditionalProperties")) {
                if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    unknown.add(path + ": " + extra.keySet());
                }
            } else if (value != o) {
                String name = getter.getName().substring(3);
                collectUnknownFields(value, path + "." + Character.toLowerCase(name.charAt(0)) + name.substring(1),
                        unknown, depth + 1);
            }
        }
    }

    // --- app configuration the manifests must agree with ------------------------------------------------------

    /** quarkus.shutdown.timeout, plus quarkus.shutdown.delay when the delay is enabled (prod profile). */
    static Duration shutdownBudget() {
        Function<String, String> props = appProperties();
        Duration timeout = duration(props.apply("quarkus.shutdown.timeout"), Duration.ZERO);
        Duration delay = "true".equalsIgnoreCase(props.apply("quarkus.shutdown.delay-enabled"))
                ? duration(props.apply("quarkus.shutdown.delay"), Duration.ZERO)
                : Duration.ZERO;
        return timeout.plus(delay);
    }

    static Duration batchDeadline() {
        return duration(appProperties().apply("triage.batch.deadline"), DEFAULT_BATCH_DEADLINE);
    }

    /** Looks a key up in application.properties the way the prod profile sees it (%prod.key wins). */
    static Function<String, String> appProperties() {
        Path file = Kustomize.projectRoot().resolve("src/main/resources/application.properties");
        Properties p = new Properties();
        if (Files.isRegularFile(file)) {
            try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                p.load(in);
            } catch (IOException e) {
                fail("cannot read " + file, e);
            }
        }
        return key -> {
            String value = p.getProperty("%prod." + key, p.getProperty(key));
            return value == null ? null : value.trim();
        };
    }

    /** Quarkus duration syntax: plain seconds, a number with ms/s/m/h/d, or ISO-8601 (PT25S). */
    static Duration duration(String value, Duration fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        String v = value.trim().toLowerCase();
        if (v.matches("\\d+")) {
            return Duration.ofSeconds(Long.parseLong(v));
        }
        if (v.matches("\\d+ms")) {
            return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
        }
        if (v.matches("\\d+[smhd]")) {
            long n = Long.parseLong(v.substring(0, v.length() - 1));
            return switch (v.charAt(v.length() - 1)) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        }
        return Duration.parse(value.trim().toUpperCase());
    }
}
