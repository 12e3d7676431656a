package com.portfoliostream.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.portfoliostream.common.config.Setting;
import com.portfoliostream.testkit.LauncherFlags;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The image as the Jib profile of portfolio-node declares it: building it needs its base image
 * from a registry this build does not reach, so the declaration is what is checked.
 */
@DisplayName("The container image (portfolio-node's Jib profile)")
class ContainerImageTest {

  private static final Path POM = Commands.REPOSITORY.resolve("portfolio-node/pom.xml");

  @Test
  @DisplayName("is built only on request, as an OCI tar at package time, with Jib")
  void onlyOnRequest() throws Exception {
    Element profile = imageProfile();
    assertThat(child(profile, "activation")).as("not active by default").isNull();
    Element jib = jibPlugin(profile);
    assertThat(text(jib, "version")).isNotBlank();
    Element execution = child(child(jib, "executions"), "execution");
    assertThat(text(execution, "phase")).isEqualTo("package");
    assertThat(texts(child(execution, "goals"), "goal")).containsExactly("buildTar");
    assertThat(text(container(), "format")).isEqualTo("OCI");
    assertThat(text(child(child(jib, "configuration"), "outputPaths"), "tar")).endsWith(".tar");
  }

  @Test
  @DisplayName("starts the node's main class with exactly the JVM flags of bin/portfolio-node")
  void entrypoint() throws Exception {
    Element container = container();
    assertThat(texts(child(container, "jvmFlags"), "jvmFlag")).isEqualTo(LauncherFlags.of(Commands.REPOSITORY));
    assertThat(text(container, "mainClass")).isEqualTo(shadedMainClass());
  }

  @Test
  @DisplayName("runs as a numeric non-root user, the one the Kubernetes pods run as")
  void nonRoot() throws Exception {
    String user = text(container(), "user");
    assertThat(user).matches("\\d+:\\d+");
    long uid = Long.parseLong(user.split(":")[0]);
    assertThat(uid).isPositive();
    for (Deployment deployment : KubernetesManifests.load().deployments()) {
      assertThat(deployment.getSpec().getTemplate().getSpec().getSecurityContext().getRunAsUser())
          .as(deployment.getMetadata().getName()).isEqualTo(uid);
    }
  }

  @Test
  @DisplayName("exposes the edge, management and cluster ports, and every port a pod declares")
  void exposedPorts() throws Exception {
    List<Integer> exposed = texts(child(container(), "ports"), "port").stream().map(Integer::valueOf).toList();
    KubernetesManifests manifests = KubernetesManifests.load();
    assertThat(exposed).contains(Integer.valueOf(Setting.PORT.defaultValue()), Integer.valueOf(Setting.ADMIN_PORT.defaultValue()),
        Integer.valueOf(Setting.CLUSTER_PORT.defaultValue()), Integer.valueOf(manifests.sharedSetting(Setting.CLUSTER_BUS_PORT)));
    for (Deployment deployment : manifests.deployments()) {
      Container node = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
      assertThat(exposed).containsAll(node.getPorts().stream().map(ContainerPort::getContainerPort).toList());
    }
  }

  private static Element imageProfile() throws Exception {
    Element project = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(POM.toFile()).getDocumentElement();
    for (Element profile : children(child(project, "profiles"), "profile")) {
      if (text(profile, "id").equals("image")) {
        return profile;
      }
    }
    throw new AssertionError("portfolio-node/pom.xml has no profile 'image'");
  }

  private static Element jibPlugin(Element profile) {
    for (Element plugin : children(child(child(profile, "build"), "plugins"), "plugin")) {
      if (text(plugin, "artifactId").equals("jib-maven-plugin")) {
        return plugin;
      }
    }
    throw new AssertionError("the image profile has no jib-maven-plugin");
  }

  private static Element container() throws Exception {
    return child(child(jibPlugin(imageProfile()), "configuration"), "container");
  }

  /** The Main-Class of the node's fat jar, which bin/portfolio-node runs. */
  private static String shadedMainClass() throws Exception {
    String pom = Files.readString(POM);
    int start = pom.indexOf("<Main-Class>") + "<Main-Class>".length();
    return pom.substring(start, pom.indexOf("</Main-Class>", start)).trim();
  }

  private static Element child(Element parent, String name) {
    List<Element> found = children(parent, name);
    return found.isEmpty() ? null : found.get(0);
  }

  private static List<Element> children(Element parent, String name) {
    List<Element> found = new ArrayList<>();
    NodeList nodes = parent.getChildNodes();
    for (int i = 0; i < nodes.getLength(); i++) {
      if (nodes.item(i).getNodeType() == Node.ELEMENT_NODE && nodes.item(i).getNodeName().equals(name)) {
        found.add((Element) nodes.item(i));
      }
    }
    return found;
  }

  private static String text(Element parent, String name) {
    Element element = child(parent, name);
    assertThat(element).as("<" + name + "> in <" + parent.getNodeName() + ">").isNotNull();
    return element.getTextContent().trim();
  }

  private static List<String> texts(Element parent, String name) {
    return children(parent, name).stream().map(e -> e.getTextContent().trim()).toList();
  }
}
