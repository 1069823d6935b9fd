package io.jenkins.plugins.mesosagents.testcluster.migrate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

/**
 * Reads jenkinsci/mesos-plugin clouds from Jenkins' {@code config.xml} (the whole file, or one
 * {@code <org.jenkinsci.plugins.mesos.MesosCloud>} element) or from a JCasC YAML file ({@code
 * jenkins: clouds: - mesos: {…}}), into one tree per cloud whose keys are the plugin's field names.
 * XStream writes fields, JCasC uses constructor parameters; they differ only in the 2.x master URL
 * ({@code master} / {@code mesosMasterUrl}), which the converter accepts either way.
 */
final class SourceReader {
    /** The cloud's XStream element name (the class name, both in 1.x and 2.x). */
    static final String CLOUD_CLASS = "org.jenkinsci.plugins.mesos.MesosCloud";

    /** JCasC's symbol for mesos-plugin's cloud (derived from MesosCloud; it has no @Symbol). */
    static final String CASC_SYMBOL = "mesos";

    /** XStream collection fields: their child elements are list entries, named by class. */
    private static final Set<String> LIST_FIELDS =
            Set.of(
                    "slaveInfos",
                    "mesosAgentSpecTemplates",
                    "additionalURIs",
                    "volumes",
                    "parameters",
                    "portMappings",
                    "networkInfos",
                    "nodeProperties",
                    "labelSet");

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private SourceReader() {}

    /** A cloud found in the file: its fields, and where it was (for messages). */
    record SourceCloud(JsonNode fields, String where) {}

    static List<SourceCloud> read(String text, String source) {
        String trimmed = text.stripLeading();
        if (trimmed.isEmpty()) {
            throw new InvalidSourceException(
                    source
                            + ": is empty; give Jenkins' config.xml (JENKINS_HOME/config.xml) or"
                            + " the JCasC YAML with mesos-plugin's 'jenkins: clouds: - mesos:'"
                            + " block");
        }
        return trimmed.startsWith("<") ? xml(text, source) : yaml(text, source);
    }

    private static List<SourceCloud> xml(String text, String source) {
        Document doc;
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setExpandEntityReferences(false);
            DocumentBuilder builder = factory.newDocumentBuilder();
            builder.setErrorHandler(null);
            // XStream writes XML 1.1 headers; the JDK parser reads them
            doc = builder.parse(new org.xml.sax.InputSource(new StringReader(text)));
        } catch (SAXParseException e) {
            throw new InvalidSourceException(
                    source
                            + ":"
                            + e.getLineNumber()
                            + ": is not well-formed XML: "
                            + e.getMessage()
                            + "; copy the file again from JENKINS_HOME/config.xml");
        } catch (SAXException | IOException | ParserConfigurationException e) {
            throw new InvalidSourceException(source + ": cannot be read as XML: " + e.getMessage());
        }
        Element root = doc.getDocumentElement();
        List<Element> clouds = new ArrayList<>();
        if (root.getTagName().equals(CLOUD_CLASS)) {
            clouds.add(root);
        } else {
            for (Element section : children(root)) {
                if (section.getTagName().equals("clouds")) {
                    for (Element cloud : children(section)) {
                        if (cloud.getTagName().equals(CLOUD_CLASS)) {
                            clouds.add(cloud);
                        }
                    }
                }
            }
        }
        if (clouds.isEmpty()) {
            throw new InvalidSourceException(
                    source
                            + ": has no mesos-plugin cloud (root element <"
                            + root.getTagName()
                            + ">, no <clouds><"
                            + CLOUD_CLASS
                            + "> inside); give Jenkins' JENKINS_HOME/config.xml of the instance"
                            + " that runs jenkinsci/mesos-plugin, or the cloud's element alone");
        }
        List<SourceCloud> found = new ArrayList<>();
        int i = 0;
        for (Element cloud : clouds) {
            found.add(new SourceCloud(tree(cloud), source + " cloud #" + ++i));
        }
        return found;
    }

    private static JsonNode tree(Element element) {
        List<Element> children = children(element);
        if (LIST_FIELDS.contains(element.getTagName())) {
            ArrayNode list = JsonNodeFactory.instance.arrayNode();
            for (Element child : children) {
                list.add(tree(child));
            }
            return list;
        }
        if (children.isEmpty() && !element.hasAttribute("class")) {
            return TextNode.valueOf(element.getTextContent());
        }
        ObjectNode object = JsonNodeFactory.instance.objectNode();
        if (element.hasAttribute("class")) {
            object.put("@class", element.getAttribute("class"));
        }
        for (Element child : children) {
            object.set(child.getTagName(), tree(child));
        }
        return object;
    }

    private static List<Element> children(Element element) {
        List<Element> children = new ArrayList<>();
        for (Node n = element.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                children.add(e);
            }
        }
        return children;
    }

    private static List<SourceCloud> yaml(String text, String source) {
        JsonNode root;
        try {
            root = YAML.readTree(text);
        } catch (JsonProcessingException e) {
            throw new InvalidSourceException(
                    source
                            + (e.getLocation() == null ? "" : ":" + e.getLocation().getLineNr())
                            + ": is neither XML nor valid YAML: "
                            + e.getOriginalMessage()
                            + "; give Jenkins' config.xml or the JCasC YAML file");
        }
        JsonNode clouds = root == null ? null : root.path("jenkins").path("clouds");
        List<SourceCloud> found = new ArrayList<>();
        if (clouds != null && clouds.isArray()) {
            for (int i = 0; i < clouds.size(); i++) {
                JsonNode cloud = clouds.get(i).get(CASC_SYMBOL);
                if (cloud != null && cloud.isObject()) {
                    found.add(
                            new SourceCloud(
                                    cloud, source + " jenkins.clouds[" + i + "]." + CASC_SYMBOL));
                }
            }
        }
        if (found.isEmpty()) {
            throw new InvalidSourceException(
                    source
                            + ": has no mesos-plugin cloud (no 'jenkins: clouds: - "
                            + CASC_SYMBOL
                            + ":' entry); give the JCasC YAML that configures"
                            + " jenkinsci/mesos-plugin, or Jenkins' config.xml");
        }
        return found;
    }
}
