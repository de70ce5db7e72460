# torch-node for node-gyp (driven by prebuildify and by `npm install` when no prebuilt binary fits).
# Same sources (scripts/sources.js) as CMakeLists.txt (cmake-js, the development build), and the same
# build decision for the libtorch found (scripts/find-libtorch.js addonBuild: C++ standard,
# definitions, flags, include directories, libraries); no precompiled header here, so it is slower.
{
  'variables': {
    'tn_libdir%': '<!(node scripts/find-libtorch.js --build libdir)',
  },
  'targets': [
    {
      'target_name': 'torch_node',
      'sources': ['<!@(node scripts/sources.js)'],
      'include_dirs': [
        '<!(node -p "require(\'node-addon-api\').include_dir")',
        'native',
        '<!@(node scripts/find-libtorch.js --build torch_include)',
        '<!@(node scripts/find-libtorch.js --build system_include)',
        '<!@(node scripts/find-libtorch.js --build include)',
      ],
      # N-API mode, C++ ABI, TN_WITH_CUDA and torch.distributed's backends: scripts/find-libtorch.js
      # addonBuild, the decision CMakeLists.txt takes too
      'defines': ['<!@(node scripts/find-libtorch.js --build defines)'],
      'cflags_cc!': ['-fno-exceptions', '-fno-rtti', '-std=gnu++17', '-std=gnu++20'],
      'cflags_cc': ['-std=c++<!(node scripts/find-libtorch.js --build cxx_std)', '-fexceptions', '-frtti', '<!@(node scripts/find-libtorch.js --build cflags)', '-Wno-unused-parameter', '-Wno-maybe-uninitialized'],
      'ldflags': [
        '-L<(tn_libdir)',
        # RUNPATH (not RPATH), so that LD_LIBRARY_PATH can point at another libtorch
        '-Wl,-rpath,<(tn_libdir)',
        '-Wl,--enable-new-dtags',
        '-Wl,--no-as-needed',
      ],
      'libraries': ['<!@(node scripts/find-libtorch.js --build torch_libs)', '<!@(node scripts/find-libtorch.js --build libs)'],
    },
    {
      # What the binary was built against (libtorch version, CUDA, C++ ABI, Node ABI), read by the
      # loader before it loads the binary: build/Release/torch_node.json.
      'target_name': 'torch_node_build_info',
      'type': 'none',
      'dependencies': ['torch_node'],
      'actions': [{
        'action_name': 'build_info',
        'inputs': ['<(PRODUCT_DIR)/torch_node.node'],
        'outputs': ['<(PRODUCT_DIR)/torch_node.json'],
        'action': ['node', 'scripts/find-libtorch.js', '--build-info', '<(PRODUCT_DIR)/torch_node.json'],
      }],
    },
  ],
}
