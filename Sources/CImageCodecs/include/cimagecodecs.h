int cimagecodecs_placeholder(void);
