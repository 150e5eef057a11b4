# cf_add_layer(<name> SOURCES ... [DEPS <lower layers>] [LIBS <third-party targets>])
#
# One static library per layer (cf_<name>). A layer links only the layers named in DEPS;
# docs/layering.md lists the allowed edges and tests/layering_test.py checks them.
# Headers in include/cf/<name>/ are the layer's API; src/<name>/ stays private.
function(cf_add_layer name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;LIBS" ${ARGN})
  add_library(cf_${name} STATIC ${ARG_SOURCES})
  target_include_directories(cf_${name}
    PUBLIC ${PROJECT_SOURCE_DIR}/include
    PRIVATE ${PROJECT_SOURCE_DIR}/src/${name} ${CMAKE_CURRENT_BINARY_DIR})
  foreach(dep IN LISTS ARG_DEPS)
    target_link_libraries(cf_${name} PUBLIC cf_${dep})
  endforeach()
  if(ARG_LIBS)
    target_link_libraries(cf_${name} PRIVATE ${ARG_LIBS})
  endif()
endfunction()

# cf_add_layer_test(<layer> SOURCES ... [LIBS ...]): one GoogleTest executable per layer.
function(cf_add_layer_test layer)
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBS" ${ARGN})
  add_executable(cf_${layer}_tests ${ARG_SOURCES})
  target_link_libraries(cf_${layer}_tests PRIVATE cf_${layer} ${ARG_LIBS} GTest::gtest_main)
  target_include_directories(cf_${layer}_tests PRIVATE ${PROJECT_SOURCE_DIR}/tests)
  gtest_discover_tests(cf_${layer}_tests TEST_PREFIX "${layer}." DISCOVERY_TIMEOUT 60
    PROPERTIES LABELS unit)
endfunction()
