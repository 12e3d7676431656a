package com.portfoliostream.deploy;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fields of a manifest that fabric8's model did not recognise: it keeps them in each object's
 * {@code additionalProperties} instead of failing, so a misspelt {@code readinesProbe} would
 * otherwise parse and be ignored by the cluster too.
 */
final class UnknownFields {

  private UnknownFields() {}

  /** Paths like {@code spec.template.spec.containers.readinesProbe}, empty when every field is known. */
  static List<String> of(Object root) {
    List<String> unknown = new ArrayList<>();
    walk(root, "", unknown, new IdentityHashMap<>());
    return unknown;
  }

  private static void walk(Object value, String path, List<String> unknown, Map<Object, Boolean> seen) {
    if (value == null || seen.put(value, true) != null) {
      return;
    }
    if (value instanceof Collection<?> items) {
      items.forEach(item -> walk(item, path, unknown, seen));
      return;
    }
    if (value instanceof Map<?, ?> map) {
      map.values().forEach(item -> walk(item, path, unknown, seen));
      return;
    }
    if (!value.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
      return;
    }
    for (Method getter : value.getClass().getMethods()) {
      if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers()) || !getter.getName().startsWith("get")
          || getter.getDeclaringClass() == Object.class) {
        continue;
      }
      Object field = invoke(getter, value);
      String name = Character.toLowerCase(getter.getName().charAt(3)) + getter.getName().substring(4);
      if (name.equals("additionalProperties")) {
        ((Map<?, ?>) field).keySet().forEach(key -> unknown.add(path + key));
      } else {
        walk(field, path + name + ".", unknown, seen);
      }
    }
  }

  private static Object invoke(Method getter, Object target) {
    try {
      return getter.invoke(target);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError("cannot read " + getter, e);
    }
  }
}
